package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"

	"github.com/cairnhq/cairn"
	"github.com/cairnhq/cairn/service/iam"
)

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// bootstrap creates the first account and its root credentials on an empty
// data folder, prints them once and writes them to <data>/root-credentials.
// Later starts reuse what is stored.
func bootstrap(ctx context.Context, o *serveOptions, svc *iam.Service, ids cairn.IDs, endpoint string, stdout io.Writer) error {
	existing, err := svc.FirstAccount(ctx)
	if err == nil {
		if o.accountID != "" && o.accountID != existing {
			return fmt.Errorf("--account-id %s: this data folder already belongs to account %s", o.accountID, existing)
		}
		return nil
	}
	if !errors.Is(err, cairn.ErrNotFound) {
		return fmt.Errorf("read first account: %w", err)
	}
	account := o.accountID
	if account == "" {
		account, err = randomAccountID()
		if err != nil {
			return err
		}
	}
	if !accountIDPattern.MatchString(account) {
		return fmt.Errorf("--account-id %q: want 12 digits", account)
	}
	keyID, secret := o.rootAccessKeyID, o.rootSecretAccessKey
	if (keyID == "") != (secret == "") {
		return errors.New("set both CAIRN_ROOT_ACCESS_KEY_ID and CAIRN_ROOT_SECRET_ACCESS_KEY, or neither")
	}
	if keyID == "" {
		keyID = cairn.NewAWSID(ids, cairn.PrefixAccessKey, cairn.AccessKeyIDLength)
		secret = cairn.NewSecretAccessKey(ids)
	}
	if len(keyID) < 16 || len(keyID) > 128 || len(secret) < 16 {
		return errors.New("CAIRN_ROOT_ACCESS_KEY_ID must be 16 to 128 characters and CAIRN_ROOT_SECRET_ACCESS_KEY at least 16")
	}
	if err := svc.Bootstrap(ctx, account, keyID, secret); err != nil {
		return fmt.Errorf("bootstrap account %s: %w", account, err)
	}
	credPath := filepath.Join(o.data, "root-credentials")
	ini := fmt.Sprintf("[cairn]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-east-1\n# account %s, endpoint %s\n",
		keyID, secret, account, endpoint)
	if err := os.WriteFile(credPath, []byte(ini), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", credPath, err)
	}
	fmt.Fprintf(stdout, `Cairn created account %s and its root credentials.
They are shown once, and kept in %s (profile "cairn").

export AWS_ENDPOINT_URL=%s
export AWS_ACCESS_KEY_ID=%s
export AWS_SECRET_ACCESS_KEY=%s
export AWS_DEFAULT_REGION=us-east-1

`, account, credPath, endpoint, keyID, secret)
	return nil
}

func randomAccountID() (string, error) {
	// 12 digits without a leading zero, like AWS account IDs in practice.
	n, err := rand.Int(rand.Reader, big.NewInt(9e11))
	if err != nil {
		return "", fmt.Errorf("random account id: %w", err)
	}
	return fmt.Sprintf("%012d", n.Int64()+1e11), nil
}
