package casefile

import (
	"strings"

	"filippo.io/age"

	"casevault/crypto"
)

// labelBundlePQ derives the seed of the workspace's hybrid post-quantum
// age identity (ML-KEM-768 + X25519) from the workspace identity, so that
// it needs no key file of its own and is recovered with the workspace.
const labelBundlePQ = "casevault/v1/bundle-pq-identity"

// bundlePQIdentity returns the workspace's hybrid post-quantum identity,
// the one its card offers as age-pq-recipient.
func bundlePQIdentity(k *crypto.WorkspaceKeys) *age.HybridIdentity {
	seed, err := k.DeriveKey(labelBundlePQ, 32)
	if err != nil {
		panic(err) // keys are checked unlocked by every caller
	}
	defer crypto.Wipe(seed)
	s, err := bech32Encode("age-secret-key-pq-", seed)
	if err != nil {
		panic(err)
	}
	id, err := age.ParseHybridIdentity(strings.ToUpper(s))
	if err != nil {
		panic(err) // a 32-byte seed is always a valid ML-KEM-768-X25519 key
	}
	return id
}

// bech32Encode is BIP 173 Bech32 (what age's keys use), without the
// 90-character limit, as age does. The age library keeps its encoder
// internal; its parser checks what this writes.
func bech32Encode(hrp string, data []byte) (string, error) {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	values, err := convertBits(data, 8, 5)
	if err != nil {
		return "", err
	}
	gen := []uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	polymod := func(v []byte) uint32 {
		chk := uint32(1)
		for _, b := range v {
			top := chk >> 25
			chk = (chk&0x1ffffff)<<5 ^ uint32(b)
			for i := 0; i < 5; i++ {
				if (top>>uint(i))&1 == 1 {
					chk ^= gen[i]
				}
			}
		}
		return chk
	}
	var exp []byte
	for i := 0; i < len(hrp); i++ {
		exp = append(exp, hrp[i]>>5)
	}
	exp = append(exp, 0)
	for i := 0; i < len(hrp); i++ {
		exp = append(exp, hrp[i]&31)
	}
	mod := polymod(append(append(exp, values...), 0, 0, 0, 0, 0, 0)) ^ 1
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(charset[v])
	}
	for i := 0; i < 6; i++ {
		b.WriteByte(charset[(mod>>uint(5*(5-i)))&31])
	}
	return b.String(), nil
}

func convertBits(data []byte, from, to uint) ([]byte, error) {
	var acc uint32
	var bits uint
	var out []byte
	maxv := uint32(1)<<to - 1
	for _, v := range data {
		acc = acc<<from | uint32(v)
		bits += from
		for bits >= to {
			bits -= to
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if bits > 0 {
		out = append(out, byte(acc<<(to-bits)&maxv))
	}
	return out, nil
}
