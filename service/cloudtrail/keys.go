package cloudtrail

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// Digest signing keys. Each region has its own RSA-2048 key pairs, valid
// 30 days each; a new pair is made when the newest is half way through its
// validity, so validity windows overlap by 15 days, as AWS's do. The
// private half is sealed with the deployment's Sealer (bound to the region
// and fingerprint); the public half is PKCS#1 DER, and its fingerprint the
// lowercase hex MD5 of those bytes (spec §5.5).
const (
	tblKeys = "cloudtrail_keys" // <region>/<validity start, unix nanos, 20 digits>

	// KeyValidity is how long a signing key pair is valid.
	KeyValidity = 30 * 24 * time.Hour
	// keyRotateAfter is the age at which a region gets its next key pair.
	keyRotateAfter = KeyValidity / 2
	keyBits        = 2048
)

type keyRec struct {
	Region      string    `json:"region"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Fingerprint string    `json:"fingerprint"`
	Public      []byte    `json:"public"` // PKCS#1 RSAPublicKey, DER
	Sealed      []byte    `json:"sealed"` // PKCS#1 RSAPrivateKey, DER, sealed
}

func keyKey(region string, start time.Time) string {
	return fmt.Sprintf("%s/%020d", region, start.UnixNano())
}

func keyAAD(region, fingerprint string) []byte {
	return []byte("cairn/cloudtrail/digest-key/" + region + "/" + fingerprint)
}

// Fingerprint is the hex MD5 of a PKCS#1 DER public key, as ListPublicKeys
// and digestPublicKeyFingerprint show it.
func Fingerprint(der []byte) string {
	sum := md5.Sum(der)
	return hex.EncodeToString(sum[:])
}

// regionKeys returns region's key records, oldest first.
func regionKeys(tx store.Tx, region string) ([]keyRec, error) {
	var out []keyRec
	err := tx.Scan(tblKeys, region+"/", "", 0, func(k string, v []byte) error {
		var r keyRec
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode key %s: %w", k, err)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// currentKey returns the key pair region signs with at now, making one
// when the region has none or its newest is due for rotation.
func (s *Service) currentKey(ctx context.Context, region string, now time.Time) (keyRec, error) {
	var newest *keyRec
	err := s.view(ctx, func(tx store.Tx) error {
		ks, err := regionKeys(tx, region)
		if err != nil {
			return err
		}
		for i := range ks {
			if !ks[i].Start.After(now) {
				newest = &ks[i]
			}
		}
		return nil
	})
	if err != nil {
		return keyRec{}, errorf("read signing keys of %s: %w", region, err)
	}
	if newest != nil && now.Sub(newest.Start) < keyRotateAfter && now.Before(newest.End) {
		return *newest, nil
	}
	return s.newKey(ctx, region, now)
}

func (s *Service) newKey(ctx context.Context, region string, now time.Time) (keyRec, error) {
	if s.cfg.Sealer == nil {
		return keyRec{}, errorf("signing key for %s: no sealer configured", region)
	}
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return keyRec{}, errorf("generate signing key: %w", err)
	}
	pub := x509.MarshalPKCS1PublicKey(&priv.PublicKey)
	r := keyRec{Region: region, Start: now.UTC(), End: now.UTC().Add(KeyValidity), Fingerprint: Fingerprint(pub), Public: pub}
	if r.Sealed, err = s.cfg.Sealer.Seal(x509.MarshalPKCS1PrivateKey(priv), keyAAD(region, r.Fingerprint)); err != nil {
		return keyRec{}, errorf("seal signing key: %w", err)
	}
	var got keyRec
	err = s.update(ctx, func(tx store.Tx) error {
		// Another writer may have made one meanwhile: keep theirs.
		ks, err := regionKeys(tx, region)
		if err != nil {
			return err
		}
		for i := len(ks) - 1; i >= 0; i-- {
			k := ks[i]
			if !k.Start.After(now) && now.Sub(k.Start) < keyRotateAfter && now.Before(k.End) {
				got = k
				return nil
			}
		}
		got = r
		return store.PutJSON(tx, tblKeys, keyKey(region, r.Start), &r)
	})
	if err != nil {
		return keyRec{}, errorf("store signing key: %w", err)
	}
	return got, nil
}

// privateKey opens a key record's private half.
func (s *Service) privateKey(k keyRec) (*rsa.PrivateKey, error) {
	der, err := s.cfg.Sealer.Open(k.Sealed, keyAAD(k.Region, k.Fingerprint))
	if err != nil {
		return nil, errorf("open signing key %s: %w", k.Fingerprint, err)
	}
	priv, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return nil, errorf("parse signing key %s: %w", k.Fingerprint, err)
	}
	return priv, nil
}

// PublicKeys returns region's public keys whose validity overlaps [start,
// end], oldest first, making the current one first if the region has none
// valid now.
func (s *Service) publicKeys(ctx context.Context, region string, start, end, now time.Time) ([]keyRec, error) {
	if _, err := s.currentKey(ctx, region, now); err != nil {
		return nil, err
	}
	var out []keyRec
	err := s.view(ctx, func(tx store.Tx) error {
		ks, err := regionKeys(tx, region)
		if err != nil {
			return err
		}
		for _, k := range ks {
			if !k.Start.After(end) && !k.End.Before(start) {
				out = append(out, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, errorf("read public keys of %s: %w", region, err)
	}
	return out, nil
}
