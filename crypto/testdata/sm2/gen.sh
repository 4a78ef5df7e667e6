#!/bin/sh
# Regenerates the SM2 fixtures with OpenSSL 3 (an implementation independent
# of gmsm): a key pair, a self-signed SM2-with-SM3 certificate, and
# signatures over a few messages under the default and a custom user id.
# Output: pub.pem, cert.pem, vectors.txt ("<uid> <msg hex> <DER sig hex>"
# per line, "-" for an empty message). The private key is not kept.
set -eu
cd "$(dirname "$0")"
command -v openssl >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm SM2 -out "$work/key.pem"
openssl pkey -in "$work/key.pem" -pubout -out pub.pem
openssl req -x509 -new -key "$work/key.pem" -sm3 -sigopt distid:1234567812345678 \
	-subj /CN=baynet-sm2-fixture -days 36500 -out cert.pem

: > vectors.txt
n=0
for uid in 1234567812345678 alice@baynet.example; do
	for msg in "" "message digest" "baynet attestation 0001" "$(head -c 700 /dev/zero | tr '\0' 'x')"; do
		n=$((n + 1))
		printf '%s' "$msg" > "$work/msg"
		openssl pkeyutl -sign -rawin -digest sm3 -inkey "$work/key.pem" \
			-pkeyopt "distid:$uid" -in "$work/msg" -out "$work/sig"
		openssl pkeyutl -verify -rawin -digest sm3 -pubin -inkey pub.pem \
			-pkeyopt "distid:$uid" -in "$work/msg" -sigfile "$work/sig" >/dev/null
		hexmsg=$(od -An -v -tx1 "$work/msg" | tr -d ' \n')
		printf '%s %s %s\n' "$uid" "${hexmsg:--}" "$(od -An -v -tx1 "$work/sig" | tr -d ' \n')" >> vectors.txt
	done
done
echo "wrote $n signatures"
