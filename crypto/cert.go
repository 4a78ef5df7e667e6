package crypto

import (
	"github.com/emmansun/gmsm/smx509"
)

// PublicKeyFromCertificate returns the subject public key of an X.509
// certificate, DER or PEM ("CERTIFICATE"), and so its scheme. It parses the
// certificate with gmsm's smx509, which also reads SM2 certificates, and the
// key with the same rules as ParsePublicKey. An rsaEncryption key comes back
// as SchemeRSAPKCS1 (re-parse its Bytes under SchemeRSAPSS to use it for
// PSS); an id-RSASSA-PSS key as SchemeRSAPSS. Nothing about the certificate
// beyond its structure is checked: not its signature, validity or chain.
func PublicKeyFromCertificate(der []byte) (PublicKey, error) {
	if len(der) == 0 || len(der) > maxCertInput {
		return nil, keyErr("", ErrMalformedCertificate, "empty or oversized input")
	}
	if isPEM(der) {
		block, err := decodePEM(der)
		if err != nil {
			return nil, keyErr("", ErrMalformedCertificate, err.Error())
		}
		if block.Type != "CERTIFICATE" {
			return nil, keyErr("", ErrMalformedCertificate, "unexpected PEM block "+block.Type)
		}
		der = block.Bytes
	}
	cert, err := smx509.ParseCertificate(der)
	if err != nil {
		return nil, keyErr("", ErrMalformedCertificate, err.Error())
	}
	info, err := parseSPKI(cert.RawSubjectPublicKeyInfo)
	if err != nil {
		return nil, keyErr("", ErrMalformedKey, err.Error())
	}
	k, err := keyFromSPKI(info.scheme, info)
	if err != nil {
		return nil, err
	}
	return k, nil
}
