package snowflake

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"os"
)

// LoadPrivateKey reads an RSA private key for Snowflake key-pair
// authentication from a PEM file: PKCS#8 ("PRIVATE KEY"), PKCS#8 encrypted
// with PBES2 ("ENCRYPTED PRIVATE KEY", as written by `openssl genrsa | openssl
// pkcs8 -topk8 -v2 aes256`), or PKCS#1 ("RSA PRIVATE KEY"). Errors name the
// file, never the passphrase.
func LoadPrivateKey(path, passphrase string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("snowflake private_key_path: %w", err)
	}
	key, err := ParsePrivateKey(data, passphrase)
	if err != nil {
		return nil, fmt.Errorf("snowflake private key %s: %w", path, err)
	}
	return key, nil
}

// ErrPassphrase is returned when an encrypted key cannot be decrypted with
// the passphrase given (or none was given).
var ErrPassphrase = errors.New("wrong or missing private_key_passphrase")

// ParsePrivateKey parses PEM data as described at LoadPrivateKey.
func ParsePrivateKey(data []byte, passphrase string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found (expected -----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----)")
	}
	var der []byte
	switch block.Type {
	case "PRIVATE KEY":
		der = block.Bytes
	case "ENCRYPTED PRIVATE KEY":
		if passphrase == "" {
			return nil, fmt.Errorf("the key is encrypted: %w", ErrPassphrase)
		}
		var err error
		der, err = decryptPKCS8(block.Bytes, []byte(passphrase))
		if err != nil {
			return nil, err
		}
	case "RSA PRIVATE KEY":
		if _, encrypted := block.Headers["Proc-Type"]; encrypted {
			return nil, errors.New("legacy encrypted PEM is not supported; convert with `openssl pkcs8 -topk8 -v2 aes256`")
		}
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("unexpected PEM block %q (expected PRIVATE KEY or ENCRYPTED PRIVATE KEY)", block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		if block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, fmt.Errorf("cannot decrypt the key: %w", ErrPassphrase)
		}
		return nil, fmt.Errorf("not a PKCS#8 private key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("snowflake key-pair authentication needs an RSA key, got %T", k)
	}
	return rk, nil
}

// ASN.1 shapes of RFC 5208 / RFC 8018 (PKCS#8 encryption with PBES2).
type encryptedPrivateKeyInfo struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

func prfHash(oid asn1.ObjectIdentifier) (func() hash.Hash, error) {
	switch {
	case len(oid) == 0 || oid.Equal(oidHMACSHA1):
		return sha1.New, nil
	case oid.Equal(oidHMACSHA224):
		return sha256.New224, nil
	case oid.Equal(oidHMACSHA256):
		return sha256.New, nil
	case oid.Equal(oidHMACSHA384):
		return sha512.New384, nil
	case oid.Equal(oidHMACSHA512):
		return sha512.New, nil
	}
	return nil, fmt.Errorf("unsupported PBKDF2 hash %v", oid)
}

func aesKeyLen(oid asn1.ObjectIdentifier) int {
	switch {
	case oid.Equal(oidAES128CBC):
		return 16
	case oid.Equal(oidAES192CBC):
		return 24
	case oid.Equal(oidAES256CBC):
		return 32
	}
	return 0
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo using PBES2 with PBKDF2
// and AES-CBC, returning the DER PrivateKeyInfo.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("malformed encrypted private key: %w", err)
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("unsupported key encryption %v (only PBES2 is supported; re-encrypt with `openssl pkcs8 -topk8 -v2 aes256`)", info.Algo.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("malformed PBES2 parameters: %w", err)
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("unsupported key derivation %v (only PBKDF2 is supported)", params.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("malformed PBKDF2 parameters: %w", err)
	}
	h, err := prfHash(kdf.PRF.Algorithm)
	if err != nil {
		return nil, err
	}
	keyLen := aesKeyLen(params.Scheme.Algorithm)
	if keyLen == 0 {
		return nil, fmt.Errorf("unsupported key cipher %v (only AES-CBC is supported)", params.Scheme.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Scheme.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, errors.New("malformed AES-CBC parameters")
	}
	if kdf.Iterations <= 0 {
		return nil, errors.New("malformed PBKDF2 iteration count")
	}
	key, err := pbkdf2.Key(h, string(passphrase), kdf.Salt, kdf.Iterations, keyLen)
	if err != nil {
		return nil, err
	}
	if len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("malformed encrypted key data")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, info.Data)
	// PKCS#7 padding; a wrong passphrase almost always breaks it.
	n := int(out[len(out)-1])
	if n == 0 || n > aes.BlockSize || !hmac.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, fmt.Errorf("cannot decrypt the key: %w", ErrPassphrase)
	}
	return out[:len(out)-n], nil
}

func parseOkta(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("snowflake authenticator %q is not an Okta URL (https://<org>.okta.com)", s)
	}
	return u, nil
}
