#!/bin/bash
# Regenerates the fixtures for hashes an item names (crypto.Hash) with
# OpenSSL 3, an implementation independent of crypto/rsa and crypto/ecdsa:
# an RSA 2048, a P-256 and a P-384 key pair, and signatures over a few
# messages under the key/hash pairings X.509 certificates use besides each
# scheme's own. Output: rsa.pem, p256.pem, p384.pem (public keys) and
# vectors.txt, one signature a line:
#
#	<key> <scheme> <hash> <valid|invalid> <case> <msg hex, "-" if empty> <sig hex>
#
# "invalid" lines are signatures OpenSSL made with other parameters than the
# line names: another hash, another MGF1 hash or another salt length (RSA-PSS
# in X.509 fixes MGF1 to the signing hash and the salt to its length). Every
# "valid" line is checked with OpenSSL before it is written. The private
# keys are not kept.
set -euo pipefail
cd "$(dirname "$0")"
command -v openssl >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/p256.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/p384.key"
for k in rsa p256 p384; do
	openssl pkey -in "$work/$k.key" -pubout -out "$k.pem"
done

hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# pss_opts HASH SALT MGF1: the signing options of RSA-PSS.
pss_opts() {
	echo "-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:$2 -sigopt rsa_mgf1_md:$3"
}

# emit KEY SCHEME HASH RESULT CASE SIGNHASH [OPTS...]: sign the current
# message with KEY under SIGNHASH and OPTS, and write a line that names
# SCHEME, HASH and RESULT.
emit() {
	local key=$1 scheme=$2 hash=$3 result=$4 name=$5 signhash=$6
	shift 6
	# shellcheck disable=SC2068
	openssl dgst "-$signhash" $@ -sign "$work/$key.key" -out "$work/sig" "$work/msg"
	if [ "$result" = valid ]; then
		# shellcheck disable=SC2068
		openssl dgst "-$hash" $@ -verify "$key.pem" -signature "$work/sig" "$work/msg" >/dev/null
	fi
	local m
	m=$(hexof "$work/msg")
	printf '%s %s %s %s %s %s %s\n' "$key" "$scheme" "$hash" "$result" "$name" "${m:--}" "$(hexof "$work/sig")" >> vectors.txt
	n=$((n + 1))
}

: > vectors.txt
n=0
for msg in "" "message digest" "$(head -c 700 /dev/zero | tr '\0' 'x')"; do
	printf '%s' "$msg" > "$work/msg"
	for h in sha384 sha512; do
		emit rsa rsa-pkcs1v15-sha256 $h valid pkcs1 $h
		emit rsa rsa-pss-sha256 $h valid pss $h $(pss_opts $h digest $h)
	done
	emit rsa rsa-pkcs1v15-sha256 sha384 invalid pkcs1-signed-sha512 sha512
	emit rsa rsa-pkcs1v15-sha256 sha512 invalid pkcs1-signed-sha256 sha256
	emit rsa rsa-pss-sha256 sha384 invalid pss-salt-32 sha384 $(pss_opts sha384 32 sha384)
	emit rsa rsa-pss-sha256 sha512 invalid pss-salt-max sha512 $(pss_opts sha512 max sha512)
	emit rsa rsa-pss-sha256 sha384 invalid pss-mgf1-sha256 sha384 $(pss_opts sha384 digest sha256)
	emit rsa rsa-pss-sha256 sha512 invalid pss-signed-sha384 sha384 $(pss_opts sha384 digest sha384)
	emit rsa rsa-pkcs1v15-sha256 sha384 invalid pss-as-pkcs1 sha384 $(pss_opts sha384 digest sha384)
	for h in sha384 sha512; do
		emit p256 p256 $h valid ecdsa $h
	done
	for h in sha256 sha512; do
		emit p384 p384 $h valid ecdsa $h
	done
	emit p256 p256 sha384 invalid ecdsa-signed-sha256 sha256
	emit p256 p256 sha512 invalid ecdsa-signed-sha384 sha384
	emit p384 p384 sha256 invalid ecdsa-signed-sha384 sha384
	emit p384 p384 sha512 invalid ecdsa-signed-sha256 sha256
done
echo "wrote $n signatures"
