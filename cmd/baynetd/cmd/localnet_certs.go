package cmd

import (
	"crypto/sha256"
	"time"

	certstypes "github.com/baynet/baynet/x/certs/types"
)

// demoCertsGenesis registers the credential types the demo issuers are
// entitled to: GD:amr's business licences (no default expiry) and HK:erb's
// engineer registrations (renewed yearly). The schema digests are of
// the demo chain's own schema names, not published schemas; neither type is given a national catalogue code.
func demoCertsGenesis() *certstypes.GenesisState {
	gs := certstypes.DefaultGenesis()
	for _, t := range []struct {
		id, region, nameZh, nameEn string
		validity                   time.Duration
	}{
		{"GD:business-licence", "GD", "营业执照", "Business licence", 0},
		{"HK:registered-engineer", "HK", "註冊專業工程師", "Registered Professional Engineer", 365 * 24 * time.Hour},
	} {
		schema := sha256.Sum256([]byte("baynet demo schema " + t.id))
		gs.CredentialTypes = append(gs.CredentialTypes, certstypes.CredentialType{
			Id: t.id, Region: t.region, NameZh: t.nameZh, NameEn: t.nameEn, SchemaDigest: schema[:], DefaultValidity: t.validity,
		})
	}
	return gs
}
