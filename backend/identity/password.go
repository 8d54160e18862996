package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"caiji/backend/apperr"
)

// Password rules of the province: at least 10 characters with letters,
// digits and special characters. The upper bound only keeps a pasted novel
// from costing an argon2 run on every keystroke of a login form.
const (
	minPasswordLen = 10
	maxPasswordLen = 128
)

// CheckPassword reports whether p meets the password rules. The message
// lists everything that is missing at once, so a user fixes it in one go.
// Letters are any Unicode letters (汉字 count); special characters are
// printable characters that are neither letters, digits nor spaces.
func CheckPassword(p string) error {
	if !utf8.ValidString(p) {
		return apperr.New(apperr.PasswordWeak, "密码含有无效字符。")
	}
	var problems []string
	n := utf8.RuneCountInString(p)
	if n < minPasswordLen {
		problems = append(problems, fmt.Sprintf("长度不足%d位", minPasswordLen))
	}
	if n > maxPasswordLen {
		problems = append(problems, fmt.Sprintf("长度超过%d位", maxPasswordLen))
	}
	var letter, digit, special, unprintable bool
	for _, c := range p {
		switch {
		case unicode.IsLetter(c):
			letter = true
		case unicode.IsDigit(c):
			digit = true
		case unicode.IsSpace(c):
		case unicode.IsPrint(c):
			special = true
		default:
			unprintable = true
		}
	}
	if !letter {
		problems = append(problems, "缺少字母")
	}
	if !digit {
		problems = append(problems, "缺少数字")
	}
	if !special {
		problems = append(problems, "缺少特殊字符")
	}
	if unprintable {
		problems = append(problems, "含有不可见的控制字符")
	}
	// Leading or trailing spaces are almost always a copy-paste accident
	// that would lock the user out later; refuse instead of trimming.
	if p != "" && strings.TrimSpace(p) != p {
		problems = append(problems, "首尾不能有空格")
	}
	if len(problems) > 0 {
		return apperr.New(apperr.PasswordWeak, "密码不符合要求："+strings.Join(problems, "、")+
			"。密码须至少10位，并同时包含字母、数字和特殊字符。")
	}
	return nil
}

// argonParams are argon2id's cost parameters. They are stored with every
// hash, so raising them later only affects new and re-hashed passwords.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	keyLen  uint32
}

const saltLen = 16

// productionParams: 64 MiB, one pass, two lanes (the PCs have 2+ cores),
// as recommended by RFC 9106 for memory-constrained settings.
var productionParams = argonParams{memory: 64 * 1024, time: 1, threads: 2, keyLen: 32}

// hashParams is what new registries hash with. Tests lower it in TestMain
// so the suite stays fast; nothing else changes it.
var hashParams = productionParams

var errBadHash = errors.New("stored password hash is malformed")

// hashPassword returns the PHC string
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<key> (unpadded standard base64).
func hashPassword(password string, p argonParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, p.keyLen)
	return encodeHash(p, salt, key), nil
}

func encodeHash(p argonParams, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeHash parses a PHC string. Bounds stop a damaged or tampered row
// from making a login allocate gigabytes.
func decodeHash(encoded string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if threads < 1 || threads > 64 || p.time < 1 || p.time > 64 || p.memory < 8*threads || p.memory > 1<<20 {
		return p, nil, nil, errBadHash
	}
	p.threads = uint8(threads)
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errBadHash
	}
	p.keyLen = uint32(len(key))
	return p, salt, key, nil
}

// matchPassword reports whether password produces encoded, comparing in
// constant time, and the parameters the hash was made with.
func matchPassword(password, encoded string) (bool, argonParams, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, p, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, p.keyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, p, nil
}
