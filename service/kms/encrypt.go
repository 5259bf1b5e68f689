package kms

import (
	"context"
	"slices"
	"strconv"

	"github.com/cairnhq/cairn"
)

const (
	maxPlaintext  = 4096
	maxCiphertext = 6144
	maxDataKey    = 1024
)

var (
	algorithms   = []string{"SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"}
	dataKeySpecs = []string{"AES_256", "AES_128"}
)

// checkAlgorithm validates an EncryptionAlgorithm member: only
// SYMMETRIC_DEFAULT works with a symmetric key.
func checkAlgorithm(member string, alg *string) error {
	if alg == nil {
		return nil
	}
	if !slices.Contains(algorithms, *alg) {
		return enumError(member, *alg, algorithms)
	}
	if *alg != algSymmetric {
		return invalidKeyUsage("The encryption algorithm %s is not supported for a symmetric encryption KMS key. Use SYMMETRIC_DEFAULT.", *alg)
	}
	return nil
}

func checkPlaintext(p []byte) error {
	switch {
	case len(p) == 0:
		return validation("plaintext", "", "Member must have length greater than or equal to 1")
	case len(p) > maxPlaintext:
		return validation("plaintext", "", "Member must have length less than or equal to 4096")
	}
	return nil
}

func checkCiphertext(member string, b []byte) error {
	switch {
	case len(b) == 0:
		return validation(member, "", "Member must have length greater than or equal to 1")
	case len(b) > maxCiphertext:
		return validation(member, "", "Member must have length less than or equal to 6144")
	}
	return nil
}

// dataKeyLength validates KeySpec and NumberOfBytes of GenerateDataKey*.
func dataKeyLength(spec *string, n *int32) (int, error) {
	switch {
	case spec != nil && !slices.Contains(dataKeySpecs, *spec):
		return 0, enumError("keySpec", *spec, dataKeySpecs)
	case n != nil && *n < 1:
		return 0, validation("numberOfBytes", strconv.Itoa(int(*n)), "Member must have value greater than or equal to 1")
	case n != nil && *n > maxDataKey:
		return 0, validation("numberOfBytes", strconv.Itoa(int(*n)), "Member must have value less than or equal to 1024")
	case spec != nil && n != nil:
		return 0, validationMsg("KeySpec and NumberOfBytes are mutually exclusive. Specify one or the other.")
	case spec == nil && n == nil:
		return 0, validationMsg("Please specify either number of bytes or key spec.")
	case n != nil:
		return int(*n), nil
	case *spec == "AES_128":
		return 16, nil
	}
	return 32, nil
}

// encrypt seals plaintext under the key's current version.
func (s *Service) encrypt(e *keyEntry, plaintext []byte, ec map[string]string) ([]byte, error) {
	v := len(e.aeads)
	if v == 0 {
		return nil, errorf("key %s has no material", e.arn)
	}
	return encryptBlob(e.aeads[v-1], e.rec.Account, e.rec.ID, uint32(v), s.cfg.IDs.Token(nonceLen), plaintext, ec)
}

// decrypt opens a blob made under e; the header was checked to name e.
func decrypt(e *keyEntry, h blobHeader, blob []byte, ec map[string]string) ([]byte, string, error) {
	if int(h.version) > len(e.aeads) {
		return nil, "", invalidCiphertext()
	}
	pt, ok := decryptBlob(e.aeads[h.version-1], blob, ec)
	if !ok {
		return nil, "", invalidCiphertext()
	}
	return pt, e.rec.Versions[h.version-1].ID, nil
}

func currentMaterial(e *keyEntry) string {
	if n := len(e.rec.Versions); n > 0 {
		return e.rec.Versions[n-1].ID
	}
	return ""
}

func isDryRun(p *bool) bool { return p != nil && *p }

func defaultAlgorithm(p **string) {
	if *p == nil {
		alg := algSymmetric
		*p = &alg
	}
}

// Encrypt encrypts up to 4 KiB under a key.
func (s *Service) Encrypt(ctx context.Context, c *cairn.Call, in *EncryptInput) (*EncryptOutput, error) {
	if err := checkPlaintext(in.Plaintext); err != nil {
		return nil, err
	}
	if err := checkAlgorithm("encryptionAlgorithm", in.EncryptionAlgorithm); err != nil {
		return nil, err
	}
	defaultAlgorithm(&in.EncryptionAlgorithm)
	e, err := s.entryOf(ctx, c, in, optsUse)
	if err != nil {
		return nil, err
	}
	if err := usable(e); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	blob, err := s.encrypt(e, in.Plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	done(in)
	return &EncryptOutput{CiphertextBlob: blob, KeyId: e.arn, EncryptionAlgorithm: algSymmetric}, nil
}

// decryptTarget resolves the key of a Decrypt: the one the ciphertext
// names, which must be the KeyId's when one is given.
func (s *Service) decryptTarget(ctx context.Context, c *cairn.Call, in *DecryptInput) (*cairn.Target, error) {
	e, alias, _, err := s.blobKey(ctx, c, in.CiphertextBlob, in.KeyId, "ciphertextBlob")
	if err != nil {
		return nil, err
	}
	in.res = &resolved{entry: e, alias: alias}
	return targetOf(e, c, alias, in.EncryptionContext), nil
}

// blobKey finds the key a ciphertext was made under. keyID, when given,
// must name that key (IncorrectKeyException otherwise).
func (s *Service) blobKey(ctx context.Context, c *cairn.Call, blob []byte, keyID *string, member string) (*keyEntry, string, blobHeader, error) {
	if err := checkCiphertext(member, blob); err != nil {
		return nil, "", blobHeader{}, err
	}
	h, ok := parseBlob(blob)
	if !ok {
		return nil, "", h, invalidCiphertext()
	}
	if keyID != nil {
		e, ref, err := s.resolve(ctx, c, "keyId", *keyID, optsUse)
		if err != nil {
			return nil, "", h, err
		}
		if e.rec.Account != h.account || e.rec.ID != h.keyID {
			return nil, "", h, incorrectKey()
		}
		return e, ref.alias, h, nil
	}
	e, err := s.loadKey(ctx, h.account, c.Region, h.keyID)
	if err != nil {
		return nil, "", h, err
	}
	if e == nil {
		return nil, "", h, invalidCiphertext()
	}
	return e, "", h, nil
}

func decryptResources(c *cairn.Call, in *DecryptInput) []cairn.Resource {
	if in.res != nil || in.KeyId != nil {
		return keyResources(c, strOr(in.KeyId, ""), in.res)
	}
	return nil
}

// Decrypt decrypts a ciphertext made by Encrypt, GenerateDataKey* or
// ReEncrypt, under any version of its key.
func (s *Service) Decrypt(ctx context.Context, c *cairn.Call, in *DecryptInput) (*DecryptOutput, error) {
	if err := checkAlgorithm("encryptionAlgorithm", in.EncryptionAlgorithm); err != nil {
		return nil, err
	}
	defaultAlgorithm(&in.EncryptionAlgorithm)
	var e *keyEntry
	if in.res != nil && in.res.entry != nil {
		e = in.res.entry
	} else {
		var err error
		if e, _, _, err = s.blobKey(ctx, c, in.CiphertextBlob, in.KeyId, "ciphertextBlob"); err != nil {
			return nil, err
		}
		in.res = &resolved{entry: e}
	}
	h, _ := parseBlob(in.CiphertextBlob)
	if err := usable(e); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	pt, material, err := decrypt(e, h, in.CiphertextBlob, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	arn := e.arn
	in.KeyId = &arn // the event names the key, as AWS's does
	in.res.ok = true
	return &DecryptOutput{KeyId: e.arn, Plaintext: pt, EncryptionAlgorithm: algSymmetric, KeyMaterialId: material}, nil
}

func (s *Service) reEncryptTarget(ctx context.Context, c *cairn.Call, in *ReEncryptInput) (*cairn.Target, error) {
	e, alias, _, err := s.blobKey(ctx, c, in.CiphertextBlob, in.SourceKeyId, "ciphertextBlob")
	if err != nil {
		return nil, err
	}
	in.res = &resolved{entry: e, alias: alias}
	return targetOf(e, c, alias, in.SourceEncryptionContext), nil
}

func reEncryptResources(c *cairn.Call, in *ReEncryptInput) []cairn.Resource {
	if in.res != nil && in.res.entry != nil {
		return keyResources(c, "", in.res)
	}
	if in.SourceKeyId != nil {
		return keyResources(c, *in.SourceKeyId, nil)
	}
	return nil
}

// ReEncrypt decrypts a ciphertext and encrypts the plaintext under another
// key (or the same key's current version) without exposing it. The caller
// needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the
// destination key.
func (s *Service) ReEncrypt(ctx context.Context, c *cairn.Call, in *ReEncryptInput) (*ReEncryptOutput, error) {
	if err := checkAlgorithm("sourceEncryptionAlgorithm", in.SourceEncryptionAlgorithm); err != nil {
		return nil, err
	}
	if err := checkAlgorithm("destinationEncryptionAlgorithm", in.DestinationEncryptionAlgorithm); err != nil {
		return nil, err
	}
	var src *keyEntry
	if in.res != nil && in.res.entry != nil {
		src = in.res.entry
	} else {
		var err error
		if src, _, _, err = s.blobKey(ctx, c, in.CiphertextBlob, in.SourceKeyId, "ciphertextBlob"); err != nil {
			return nil, err
		}
		in.res = &resolved{entry: src}
	}
	dst, _, err := s.resolve(ctx, c, "destinationKeyId", in.DestinationKeyId, optsUse)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeOn(ctx, c, "kms:ReEncryptTo", dst, in.DestinationEncryptionContext); err != nil {
		return nil, err
	}
	if err := usable(src); err != nil {
		return nil, err
	}
	if err := usable(dst); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	h, _ := parseBlob(in.CiphertextBlob)
	pt, srcMaterial, err := decrypt(src, h, in.CiphertextBlob, in.SourceEncryptionContext)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	blob, err := s.encrypt(dst, pt, in.DestinationEncryptionContext)
	if err != nil {
		return nil, err
	}
	in.res.ok = true
	return &ReEncryptOutput{
		CiphertextBlob: blob, SourceKeyId: src.arn, KeyId: dst.arn,
		SourceEncryptionAlgorithm: algSymmetric, DestinationEncryptionAlgorithm: algSymmetric,
		SourceKeyMaterialId: srcMaterial, DestinationKeyMaterialId: currentMaterial(dst),
	}, nil
}

// generateDataKey draws a data key and encrypts it under e.
func (s *Service) generateDataKey(e *keyEntry, n int, ec map[string]string) (plaintext, blob []byte, err error) {
	if err := usable(e); err != nil {
		return nil, nil, err
	}
	plaintext = s.cfg.IDs.Token(n)
	blob, err = s.encrypt(e, plaintext, ec)
	if err != nil {
		return nil, nil, err
	}
	return plaintext, blob, nil
}

// GenerateDataKey returns a data key in plaintext and encrypted under a
// key.
func (s *Service) GenerateDataKey(ctx context.Context, c *cairn.Call, in *GenerateDataKeyInput) (*GenerateDataKeyOutput, error) {
	n, err := dataKeyLength(in.KeySpec, in.NumberOfBytes)
	if err != nil {
		return nil, err
	}
	e, err := s.entryOf(ctx, c, in, optsUse)
	if err != nil {
		return nil, err
	}
	if err := usable(e); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	pt, blob, err := s.generateDataKey(e, n, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	done(in)
	return &GenerateDataKeyOutput{CiphertextBlob: blob, Plaintext: pt, KeyId: e.arn, KeyMaterialId: currentMaterial(e)}, nil
}

// GenerateDataKeyWithoutPlaintext returns a data key encrypted under a
// key only.
func (s *Service) GenerateDataKeyWithoutPlaintext(ctx context.Context, c *cairn.Call, in *GenerateDataKeyWithoutPlaintextInput) (*GenerateDataKeyWithoutPlaintextOutput, error) {
	n, err := dataKeyLength(in.KeySpec, in.NumberOfBytes)
	if err != nil {
		return nil, err
	}
	e, err := s.entryOf(ctx, c, in, optsUse)
	if err != nil {
		return nil, err
	}
	if err := usable(e); err != nil {
		return nil, err
	}
	if isDryRun(in.DryRun) {
		return nil, dryRun()
	}
	pt, blob, err := s.generateDataKey(e, n, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	clear(pt)
	done(in)
	return &GenerateDataKeyWithoutPlaintextOutput{CiphertextBlob: blob, KeyId: e.arn, KeyMaterialId: currentMaterial(e)}, nil
}

// GenerateRandom returns random bytes.
func (s *Service) GenerateRandom(_ context.Context, _ *cairn.Call, in *GenerateRandomInput) (*GenerateRandomOutput, error) {
	if in.CustomKeyStoreId != nil {
		return nil, kmsErr("CustomKeyStoreNotFoundException", "Cairn has no custom key stores.")
	}
	if in.NumberOfBytes == nil {
		return nil, validationMsg("NumberOfBytes is required.")
	}
	n := *in.NumberOfBytes
	switch {
	case n < 1:
		return nil, validation("numberOfBytes", strconv.Itoa(int(n)), "Member must have value greater than or equal to 1")
	case n > maxDataKey:
		return nil, validation("numberOfBytes", strconv.Itoa(int(n)), "Member must have value less than or equal to 1024")
	}
	return &GenerateRandomOutput{Plaintext: s.cfg.IDs.Token(int(n))}, nil
}
