package pki

import (
	"crypto/x509"

	"github.com/emmansun/gmsm/smx509"

	"github.com/baynet/baynet/crypto"
)

// signatureItem returns the verifier item that checks child's signature
// under issuer's key. Each certificate signature algorithm maps to the
// scheme of a key type and a hash the item names when it is not the
// scheme's own (crypto.Hash), and only for a key of that type:
//
//	sha256WithRSAEncryption                      RSA key      rsa-pkcs1v15-sha256
//	sha384WithRSAEncryption                      RSA key      rsa-pkcs1v15-sha256, hash SHA-384
//	sha512WithRSAEncryption                      RSA key      rsa-pkcs1v15-sha256, hash SHA-512
//	RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32   RSA key      rsa-pss-sha256
//	RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48   RSA key      rsa-pss-sha256, hash SHA-384
//	RSASSA-PSS, SHA-512, MGF1-SHA-512, salt 64   RSA key      rsa-pss-sha256, hash SHA-512
//	ecdsa-with-SHA256                            P-256 key    p256
//	ecdsa-with-SHA384                            P-256 key    p256, hash SHA-384
//	ecdsa-with-SHA512                            P-256 key    p256, hash SHA-512
//	ecdsa-with-SHA256                            P-384 key    p384, hash SHA-256
//	ecdsa-with-SHA384                            P-384 key    p384
//	ecdsa-with-SHA512                            P-384 key    p384, hash SHA-512
//	sm2sign-with-sm3                             SM2 key      sm2, default user id
//
// smx509 reads RSASSA-PSS parameters into one of the three PSS algorithms
// only when MGF1 uses the signing hash and the salt is the hash's length, and
// the verifier checks exactly those. Anything else (SHA-1 and MD5 in every
// form, a key of another type than the algorithm's, PSS with other
// parameters, ...) is a ReasonUnsupportedSignature.
func signatureItem(child, issuer *Certificate) (crypto.Item, Reason) {
	key := issuer.PublicKey
	scheme := crypto.Scheme("")
	if key != nil {
		scheme = key.Scheme()
	}
	var (
		ok   bool
		hash crypto.Hash
	)
	switch child.sigAlg {
	case x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA:
		ok = scheme == crypto.SchemeRSAPKCS1
	case x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS:
		if scheme == crypto.SchemeRSAPKCS1 {
			// An rsaEncryption key serves both RSA schemes.
			key, _ = crypto.ParsePublicKey(crypto.SchemeRSAPSS, key.Bytes())
		}
		ok = key != nil && key.Scheme() == crypto.SchemeRSAPSS
	case x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512:
		ok = scheme == crypto.SchemeP256 || scheme == crypto.SchemeP384
	case smx509.SM2WithSM3:
		ok = scheme == crypto.SchemeSM2
	}
	switch child.sigAlg {
	case x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.ECDSAWithSHA256:
		hash = crypto.HashSHA256
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		hash = crypto.HashSHA384
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		hash = crypto.HashSHA512
	}
	if !ok {
		return crypto.Item{}, ReasonUnsupportedSignature{
			Cert:      child.Ref(),
			Algorithm: signatureName(child),
			IssuerKey: issuer.KeyAlgorithm,
		}
	}
	return crypto.Item{
		Key:    key,
		Msg:    child.RawTBSCertificate,
		Sig:    child.Signature,
		Policy: crypto.PolicyExternal,
		Hash:   hash,
	}, nil
}

// signatureName names child's signature algorithm for humans: the name
// smx509 knows it by, else its OID.
func signatureName(child *Certificate) string {
	switch child.sigAlg {
	case x509.UnknownSignatureAlgorithm:
		return child.SignatureAlgorithm.String()
	case smx509.SM2WithSM3:
		return "SM2-SM3"
	}
	return child.sigAlg.String()
}
