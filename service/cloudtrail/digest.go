package cloudtrail

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/store"
)

// Digest files (spec §5). With log file validation, every trail delivers
// for each region it covers one digest per DigestInterval, empty windows
// included: the log files delivered in the window (by delivery time),
// their SHA-256, and a link to the previous digest, signed with the
// region's key. A chain starts (null previous fields) when a trail starts
// logging; StopLogging ends it with a final digest.

const tblDigests = "cloudtrail_digests" // <trail ARN>|<region>

// finalDigestDelay is how long after the second of StopLogging the final
// digest waits, so that it lists the calls of that second.
const finalDigestDelay = 3 * time.Second

// SignatureAlgorithm is the only digest signature algorithm.
const SignatureAlgorithm = "SHA256withRSA"

// digestState is the end of a trail's chain in one region.
type digestState struct {
	Epoch  time.Time `json:"epoch"` // the StartLoggingTime the chain belongs to
	End    time.Time `json:"end"`   // end of the last digest (start of the next)
	Bucket string    `json:"bucket,omitempty"`
	Key    string    `json:"key,omitempty"`
	Hash   string    `json:"hash,omitempty"`
	Sig    string    `json:"sig,omitempty"`
	Final  bool      `json:"final,omitempty"` // the chain's final digest is delivered
	// PendingEnd pins the end of a digest being written, so that a digest
	// repeated after a crash is written under the same key.
	PendingEnd *time.Time `json:"pendingEnd,omitempty"`
}

// DigestFile is a digest's JSON, in AWS's member order.
type DigestFile struct {
	AWSAccountID                string          `json:"awsAccountId"`
	DigestStartTime             string          `json:"digestStartTime"`
	DigestEndTime               string          `json:"digestEndTime"`
	DigestS3Bucket              string          `json:"digestS3Bucket"`
	DigestS3Object              string          `json:"digestS3Object"`
	DigestPublicKeyFingerprint  string          `json:"digestPublicKeyFingerprint"`
	DigestSignatureAlgorithm    string          `json:"digestSignatureAlgorithm"`
	NewestEventTime             *string         `json:"newestEventTime"`
	OldestEventTime             *string         `json:"oldestEventTime"`
	PreviousDigestS3Bucket      *string         `json:"previousDigestS3Bucket"`
	PreviousDigestS3Object      *string         `json:"previousDigestS3Object"`
	PreviousDigestHashValue     *string         `json:"previousDigestHashValue"`
	PreviousDigestHashAlgorithm *string         `json:"previousDigestHashAlgorithm"`
	PreviousDigestSignature     *string         `json:"previousDigestSignature"`
	LogFiles                    []DigestLogFile `json:"logFiles"`
}

// DigestLogFile is one log file a digest lists.
type DigestLogFile struct {
	S3Bucket        string `json:"s3Bucket"`
	S3Object        string `json:"s3Object"`
	HashValue       string `json:"hashValue"`
	HashAlgorithm   string `json:"hashAlgorithm"`
	NewestEventTime string `json:"newestEventTime"`
	OldestEventTime string `json:"oldestEventTime"`
}

// StringToSign is what a digest's signature signs (spec §5.4): the end
// time, bucket/key, the hex SHA-256 of the uncompressed digest and the
// previous signature ("null" in a starting digest), one per line.
func StringToSign(d *DigestFile, body []byte) string {
	sum := sha256.Sum256(body)
	prev := "null"
	if d.PreviousDigestSignature != nil {
		prev = *d.PreviousDigestSignature
	}
	return d.DigestEndTime + "\n" + d.DigestS3Bucket + "/" + d.DigestS3Object + "\n" + hex.EncodeToString(sum[:]) + "\n" + prev
}

func digestKey(trailARN, account, region string) string {
	return trailARN + "|" + account + "|" + region
}

func stamp(t time.Time) string { return t.UTC().Format(isoLayout) }

// Digest delivers every digest that is due: for each trail with log file
// validation and each region it covers, one when DigestInterval has passed
// since the previous one, and a final one once the trail stopped logging.
func (d *Deliverer) Digest(ctx context.Context) error {
	trails, retired, err := d.trails(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range trails {
		t := &trails[i]
		if !t.LogFileValidationEnabled {
			// Disabling validation breaks the chain: enabling it again
			// starts a new one.
			if err := d.dropChains(ctx, t.ARN); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if t.StartLoggingTime.IsZero() {
			continue
		}
		streams, err := d.streamsOf(ctx, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		flushed, done := false, true
		for _, s := range streams {
			final, err := d.digestRegion(ctx, t, s.account, s.region, &flushed)
			if err != nil {
				errs = append(errs, fmt.Errorf("digest of %s for %s in %s: %w", t.ARN, s.account, s.region, err))
			}
			done = done && final && err == nil
		}
		if retired[t.ARN] && done { // a deleted trail's final digests are delivered
			if err := d.forget(ctx, t.ARN); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// digestRegion delivers t's digest for region if one is due and reports
// whether the chain has ended with its final digest.
func (d *Deliverer) digestRegion(ctx context.Context, t *Trail, account, region string, flushed *bool) (bool, error) {
	dk := digestKey(t.ARN, account, region)
	var st digestState
	found := true
	err := d.cfg.Store.View(ctx, func(tx store.Tx) error {
		err := store.GetJSON(tx, tblDigests, dk, &st)
		if isNotFound(err) {
			found = false
			return nil
		}
		return err
	})
	if err != nil {
		return false, errorf("read digest state %s: %w", dk, err)
	}
	if !found || !st.Epoch.Equal(t.StartLoggingTime) {
		// A new chain starts with this logging period.
		st = digestState{Epoch: t.StartLoggingTime, End: t.StartLoggingTime.UTC().Truncate(time.Second)}
	}
	if st.Final {
		return true, nil
	}
	now := d.cfg.Clock.Now().UTC()
	final := !t.IsLogging
	var end time.Time
	switch {
	case st.PendingEnd != nil:
		end = *st.PendingEnd
	case final:
		// Events carry a second's precision, so the events of the second
		// StopLogging was called in are the trail's too; the final digest
		// waits until their calls have surely been recorded.
		if !d.pastFinal(t) {
			return false, nil
		}
		if !*flushed { // deliver what was recorded up to StopLogging first
			*flushed = true
			if err := d.deliverTrail(ctx, t); err != nil {
				return false, err
			}
		}
		// Rounded up: the final digest lists every file delivered so far,
		// the flush's included.
		end = now.Truncate(time.Second).Add(time.Second)
		if !end.After(st.End) {
			end = st.End.Add(time.Second)
		}
	case now.Sub(st.End) >= d.cfg.DigestInterval:
		end = now.Truncate(time.Second)
	default:
		return false, nil
	}
	if st.PendingEnd == nil {
		pinned := st
		pinned.PendingEnd = &end
		err := d.cfg.Store.Update(ctx, func(tx store.Tx) error { return store.PutJSON(tx, tblDigests, dk, &pinned) })
		if err != nil {
			return false, errorf("pin digest %s: %w", dk, err)
		}
	}
	if err := d.writeDigest(ctx, t, account, region, dk, st, end, final); err != nil {
		return false, err
	}
	return final, nil
}

func (d *Deliverer) writeDigest(ctx context.Context, t *Trail, account, region, dk string, st digestState, end time.Time, final bool) error {
	files, keys, err := d.filesIn(ctx, t.ARN, account, region, st.End, end)
	if err != nil {
		return err
	}
	key, err := d.cfg.Service.currentKey(ctx, region, d.cfg.Clock.Now().UTC())
	if err != nil {
		return err
	}
	priv, err := d.cfg.Service.privateKey(key)
	if err != nil {
		return err
	}
	df := &DigestFile{
		AWSAccountID: account, DigestStartTime: stamp(st.End), DigestEndTime: stamp(end),
		DigestS3Bucket: t.S3BucketName, DigestS3Object: DigestKey(t, account, region, end),
		DigestPublicKeyFingerprint: key.Fingerprint, DigestSignatureAlgorithm: SignatureAlgorithm,
		LogFiles: []DigestLogFile{},
	}
	if st.Key != "" {
		alg := "SHA-256"
		df.PreviousDigestS3Bucket, df.PreviousDigestS3Object = &st.Bucket, &st.Key
		df.PreviousDigestHashValue, df.PreviousDigestHashAlgorithm, df.PreviousDigestSignature = &st.Hash, &alg, &st.Sig
	}
	var oldest, newest time.Time
	for _, f := range files {
		df.LogFiles = append(df.LogFiles, DigestLogFile{
			S3Bucket: f.Bucket, S3Object: f.Key, HashValue: f.Hash, HashAlgorithm: "SHA-256",
			NewestEventTime: stamp(f.Newest), OldestEventTime: stamp(f.Oldest),
		})
		if oldest.IsZero() || f.Oldest.Before(oldest) {
			oldest = f.Oldest
		}
		if f.Newest.After(newest) {
			newest = f.Newest
		}
	}
	if len(files) > 0 {
		o, n := stamp(oldest), stamp(newest)
		df.OldestEventTime, df.NewestEventTime = &o, &n
	}
	body, err := json.Marshal(df)
	if err != nil {
		return errorf("encode digest: %w", err)
	}
	toSign := sha256.Sum256([]byte(StringToSign(df, body)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, toSign[:])
	if err != nil {
		return errorf("sign digest: %w", err)
	}
	gz, err := gzipBytes(body)
	if err != nil {
		return err
	}
	sigHex := hex.EncodeToString(sig)
	obj := Object{
		TrailARN: t.ARN, Account: t.Account, Region: t.HomeRegion, Bucket: t.S3BucketName, Key: df.DigestS3Object,
		Body: gz, KMSKeyARN: t.KmsKeyArn, Digest: true,
		Metadata: map[string]string{"signature": sigHex, "signature-algorithm": SignatureAlgorithm},
	}
	werr := d.cfg.Writer.WriteObject(ctx, obj)
	at := d.cfg.Clock.Now().UTC()
	if rerr := d.cfg.Service.RecordDigest(ctx, t.ARN, at, werr); rerr != nil && !isNotFound(rerr) {
		d.cfg.Log.Warn("record digest status", "trail", t.ARN, "error", rerr)
	}
	if werr != nil {
		return fmt.Errorf("deliver digest %s: %w", df.DigestS3Object, werr)
	}
	sum := sha256.Sum256(body)
	next := digestState{
		Epoch: st.Epoch, End: end, Bucket: df.DigestS3Bucket, Key: df.DigestS3Object,
		Hash: hex.EncodeToString(sum[:]), Sig: sigHex, Final: final,
	}
	err = d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Delete(tblLogFiles, k); err != nil && !isNotFound(err) {
				return err
			}
		}
		return store.PutJSON(tx, tblDigests, dk, &next)
	})
	if err != nil {
		return errorf("commit digest %s: %w", df.DigestS3Object, err)
	}
	return nil
}

// filesIn returns the log files of trailARN for account in region
// delivered in (start, end], and their store keys.
func (d *Deliverer) filesIn(ctx context.Context, trailARN, account, region string, start, end time.Time) ([]logFileRec, []string, error) {
	var files []logFileRec
	var keys []string
	prefix := logFilePrefix(trailARN, account, region)
	after := fmt.Sprintf("%s%020d|\xff", prefix, start.UnixNano())
	err := d.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tblLogFiles, prefix, after, 0, func(k string, v []byte) error {
			var f logFileRec
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("decode log file %s: %w", k, err)
			}
			if f.Delivered.After(end) {
				return store.ErrStop
			}
			files = append(files, f)
			keys = append(keys, k)
			return nil
		})
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return nil, nil, errorf("read log files of %s: %w", trailARN, err)
	}
	return files, keys, nil
}

// dropChains breaks trailARN's digest chains where they are: the next
// digest, once validation is enabled again, starts a new chain (null
// previous fields) from the time validation was found disabled.
func (d *Deliverer) dropChains(ctx context.Context, trailARN string) error {
	now := d.cfg.Clock.Now().UTC().Truncate(time.Second)
	var broken []string
	err := d.cfg.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(tblDigests, trailARN+"|", "", 0, func(k string, v []byte) error {
			var st digestState
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("decode digest state %s: %w", k, err)
			}
			if st.Key != "" || st.PendingEnd != nil {
				broken = append(broken, k)
			}
			return nil
		})
	})
	if err != nil || len(broken) == 0 { // nothing to break: no write
		return err
	}
	err = d.cfg.Store.Update(ctx, func(tx store.Tx) error {
		for _, k := range broken {
			var st digestState
			if err := store.GetJSON(tx, tblDigests, k, &st); err != nil {
				return err
			}
			if err := store.PutJSON(tx, tblDigests, k, &digestState{Epoch: st.Epoch, End: now, Final: st.Final}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return errorf("break digest chains of %s: %w", trailARN, err)
	}
	return nil
}
