package pki

import (
	"crypto/x509"

	"github.com/emmansun/gmsm/smx509"

	"github.com/baynet/baynet/crypto"
)

// signatureItem returns the verifier item that checks child's signature
// under issuer's key. The verifier's schemes fix the hash, so each
// certificate signature algorithm maps to the one scheme that hashes the
// same way, and only for a key of that scheme:
//
//	sha256WithRSAEncryption                      RSA key      rsa-pkcs1v15-sha256
//	RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32   RSA key      rsa-pss-sha256
//	ecdsa-with-SHA256                            P-256 key    p256
//	ecdsa-with-SHA384                            P-384 key    p384
//	sm2sign-with-sm3                             SM2 key      sm2, default user id
//
// Anything else (SHA-1, RSA with SHA-384 or SHA-512, ECDSA with a hash that
// is not its curve's, ...) is a ReasonUnsupportedSignature.
func signatureItem(child, issuer *Certificate) (crypto.Item, Reason) {
	key := issuer.PublicKey
	var ok bool
	switch child.sigAlg {
	case x509.SHA256WithRSA:
		ok = key != nil && key.Scheme() == crypto.SchemeRSAPKCS1
	case x509.SHA256WithRSAPSS:
		if key != nil && key.Scheme() == crypto.SchemeRSAPKCS1 {
			// An rsaEncryption key serves both RSA schemes.
			key, _ = crypto.ParsePublicKey(crypto.SchemeRSAPSS, key.Bytes())
		}
		ok = key != nil && key.Scheme() == crypto.SchemeRSAPSS
	case x509.ECDSAWithSHA256:
		ok = key != nil && key.Scheme() == crypto.SchemeP256
	case x509.ECDSAWithSHA384:
		ok = key != nil && key.Scheme() == crypto.SchemeP384
	case smx509.SM2WithSM3:
		ok = key != nil && key.Scheme() == crypto.SchemeSM2
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
