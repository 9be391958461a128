package snowflake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

// encryptPKCS8 is the inverse of decryptPKCS8 (PBES2, PBKDF2-HMAC-SHA256,
// AES-256-CBC), for tests only.
func encryptPKCS8(t *testing.T, der []byte, passphrase string, iterations int) []byte {
	t.Helper()
	salt := make([]byte, 16)
	iv := make([]byte, aes.BlockSize)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(iv)
	key, err := pbkdf2.Key(sha256.New, passphrase, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	n := aes.BlockSize - len(der)%aes.BlockSize
	padded := append(append([]byte{}, der...), make([]byte, n)...)
	for i := len(der); i < len(padded); i++ {
		padded[i] = byte(n)
	}
	block, _ := aes.NewCipher(key)
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)

	must := func(b []byte, err error) asn1.RawValue {
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	kdf := pbkdf2Params{Salt: salt, Iterations: iterations, PRF: pkix.AlgorithmIdentifier{Algorithm: oidHMACSHA256, Parameters: asn1.NullRawValue}}
	params := pbes2Params{
		KDF:    pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: must(asn1.Marshal(kdf))},
		Scheme: pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: must(asn1.Marshal(iv))},
	}
	out, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algo: pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: must(asn1.Marshal(params))},
		Data: ct,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
