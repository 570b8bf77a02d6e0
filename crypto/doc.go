// Package crypto holds CaseVault's keys and the formats built on them: the
// passphrase KDF (age scrypt files, calibrated and capped), the workspace
// identity and the keys derived from it, per-case identities, recovery codes,
// checkpoint signatures, zeroing of secrets, and process hardening.
//
// It uses nothing else of CaseVault. Every file format it produces is a
// standard age (age-encryption.org/v1) file, so that the standard age tool
// can open it with the passphrase and no CaseVault code.
package crypto
