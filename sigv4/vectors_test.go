package sigv4

import (
	"encoding/json"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vectorsDir is the aws-c-auth SigV4 suite, in the shared/ folder that sits
// beside the repository.
const vectorsDir = "../../shared/testdata/sigv4/v4"

type vectorContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	ExpirationInSeconds int       `json:"expiration_in_seconds"`
	Normalize           bool      `json:"normalize"`
	Region              string    `json:"region"`
	Service             string    `json:"service"`
	SignBody            bool      `json:"sign_body"`
	Timestamp           time.Time `json:"timestamp"`
	OmitSessionToken    bool      `json:"omit_session_token"`
}

// vectorCases lists the suite's case folders. Without the folder the test
// is skipped, unless CAIRN_REQUIRE_INTEROP is set.
func vectorCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(vectorsDir)
	if err != nil {
		if os.Getenv("CAIRN_REQUIRE_INTEROP") != "" {
			t.Fatalf("SigV4 test vectors: %v", err)
		}
		t.Skipf("SigV4 test vectors not found (%v); set CAIRN_REQUIRE_INTEROP to make this fatal", err)
	}
	var cases []string
	for _, e := range entries {
		if e.IsDir() {
			cases = append(cases, e.Name())
		}
	}
	if len(cases) != 38 {
		t.Fatalf("found %d cases in %s, want 38", len(cases), vectorsDir)
	}
	return cases
}

type vector struct {
	name string
	ctx  vectorContext
	dir  string
}

func loadVector(t *testing.T, name string) vector {
	t.Helper()
	dir := filepath.Join(vectorsDir, name)
	var v vector
	v.name, v.dir = name, dir
	if err := json.Unmarshal(readFile(t, dir, "context.json"), &v.ctx); err != nil {
		t.Fatal(err)
	}
	return v
}

func readFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (vc vector) verifier(now time.Time) *Verifier {
	return &Verifier{
		Now:                     fixedClock(now),
		Lookup:                  keys(map[string]string{vc.ctx.Credentials.AccessKeyID: vc.ctx.Credentials.SecretAccessKey}),
		AllowUnsignedQueryToken: true,
	}
}

// mutation changes one signed part of a request.
type mutation struct {
	name  string
	apply func(r *http.Request, body *[]byte)
	want  Kind // 0: the request must still verify
}

func TestVectors(t *testing.T) {
	for _, name := range vectorCases(t) {
		vc := loadVector(t, name)
		for _, form := range []string{"header", "query"} {
			t.Run(name+"/"+form, func(t *testing.T) {
				raw := readFile(t, vc.dir, form+"-signed-request.txt")
				wantSig := strings.TrimSpace(string(readFile(t, vc.dir, form+"-signature.txt")))
				parse := func() (*http.Request, []byte) { return parseRawRequest(t, raw) }

				r, body := parse()
				auth, err := vc.verifier(vc.ctx.Timestamp).Verify(r, sha256Hex(body))
				if err != nil {
					if e, ok := err.(*Error); ok && e.CanonicalRequest != "" {
						t.Logf("computed canonical request:\n%s\nexpected:\n%s", e.CanonicalRequest,
							readFile(t, vc.dir, form+"-canonical-request.txt"))
					}
					t.Fatalf("signed request rejected: %v", err)
				}
				checkVectorAuth(t, vc, form, auth, wantSig, r)

				for _, m := range vectorMutations(t, vc, form, r, body) {
					r, body := parse()
					m.apply(r, &body)
					_, err := vc.verifier(vc.ctx.Timestamp).Verify(r, sha256Hex(body))
					if m.want == 0 {
						if err != nil {
							t.Errorf("%s: rejected: %v", m.name, err)
						}
						continue
					}
					wantKind(t, err, m.want, m.name)
				}

				// The same request at the wrong time.
				ts := vc.ctx.Timestamp
				late := map[string]Kind{"header": KindSkew, "query": KindExpired}[form]
				for _, c := range []struct {
					now  time.Time
					want Kind
				}{
					{ts.Add(-16 * time.Minute), KindSkew},
					{ts.Add(14 * time.Minute), 0},
					{ts.Add(-14 * time.Minute), 0},
					{ts.Add(time.Duration(vc.ctx.ExpirationInSeconds)*time.Second + 16*time.Minute), late},
				} {
					r, body := parse()
					_, err := vc.verifier(c.now).Verify(r, sha256Hex(body))
					if c.want == 0 {
						if err != nil {
							t.Errorf("now=%v: rejected: %v", c.now, err)
						}
						continue
					}
					wantKind(t, err, c.want, "now="+c.now.String())
				}
			})
		}
	}
}

func checkVectorAuth(t *testing.T, vc vector, form string, a *Auth, wantSig string, r *http.Request) {
	t.Helper()
	if a.Signature != wantSig {
		t.Errorf("Auth.Signature = %s, want %s", a.Signature, wantSig)
	}
	if a.AccessKeyID != vc.ctx.Credentials.AccessKeyID || a.Region != vc.ctx.Region || a.Service != vc.ctx.Service ||
		a.Date != vc.ctx.Timestamp.Format("20060102") || !a.RequestTime.Equal(vc.ctx.Timestamp) {
		t.Errorf("Auth = %+v, context %+v", a, vc.ctx)
	}
	if a.Presigned != (form == "query") {
		t.Errorf("Auth.Presigned = %v for the %s form", a.Presigned, form)
	}
	wantToken := ""
	if r.Header.Get("X-Amz-Security-Token") != "" || strings.Contains(r.URL.RawQuery, "X-Amz-Security-Token=") {
		wantToken = vc.ctx.Credentials.Token
	}
	if a.SecurityToken != wantToken {
		t.Errorf("Auth.SecurityToken = %q, want %q", a.SecurityToken, wantToken)
	}
	if len(a.SigningKey) != 32 {
		t.Errorf("Auth.SigningKey has %d bytes", len(a.SigningKey))
	}
}

// vectorMutations lists one change for every signed part of the request r
// (already verified): method, path, each signed header, each query
// parameter, the body, each field of the signature.
func vectorMutations(t *testing.T, vc vector, form string, r *http.Request, body []byte) []mutation {
	var ms []mutation
	add := func(name string, want Kind, f func(r *http.Request, body *[]byte)) {
		ms = append(ms, mutation{name, f, want})
	}
	add("method", KindMismatch, func(r *http.Request, _ *[]byte) {
		if r.Method == "PUT" {
			r.Method = "GET"
		} else {
			r.Method = "PUT"
		}
	})
	add("path", KindMismatch, func(r *http.Request, _ *[]byte) {
		path, q, hasQ := strings.Cut(r.RequestURI, "?")
		path += "x"
		r.URL.Path += "x"
		r.RequestURI = path
		if hasQ {
			r.RequestURI += "?" + q
		}
	})
	hasContentSHA := r.Header.Get("X-Amz-Content-Sha256") != ""
	bodyWant := KindMismatch
	if hasContentSHA {
		// The header no longer agrees with the body the caller hashed.
		bodyWant = KindContentHashMismatch
	}
	add("body", bodyWant, func(_ *http.Request, b *[]byte) { *b = append(*b, 'x') })

	// Signed headers.
	var names []string
	if form == "header" {
		a, err := parseAuthorization(r.Header.Get("Authorization"))
		if err != nil {
			t.Fatal(err)
		}
		names = strings.Split(a.signedHeaders, ";")
	} else {
		q, _ := parseQuery(r.URL.RawQuery)
		sh, _ := q.get("X-Amz-SignedHeaders")
		names = strings.Split(sh, ";")
	}
	for _, n := range names {
		key := textproto.CanonicalMIMEHeaderKey(n)
		switch n {
		case "host":
			add("header host", KindMismatch, func(r *http.Request, _ *[]byte) { r.Host += "x" })
		case "x-amz-date":
			add("header x-amz-date", KindMismatch, func(r *http.Request, _ *[]byte) {
				r.Header.Set("X-Amz-Date", vc.ctx.Timestamp.Add(time.Second).Format(amzDateFormat))
			})
		case "x-amz-content-sha256":
			add("header x-amz-content-sha256", KindContentHashMismatch, func(r *http.Request, _ *[]byte) {
				r.Header.Set(key, EmptyPayloadHash)
			})
		case "content-length":
			add("header content-length", KindMismatch, func(r *http.Request, _ *[]byte) {
				r.Header.Set(key, "14")
			})
		default:
			add("header "+n, KindMismatch, func(r *http.Request, _ *[]byte) { r.Header[key][0] += "x" })
			if vs := r.Header[key]; len(vs) > 1 && vs[0] != vs[len(vs)-1] {
				add("header order "+n, KindMismatch, func(r *http.Request, _ *[]byte) {
					vs := r.Header[key]
					vs[0], vs[len(vs)-1] = vs[len(vs)-1], vs[0]
				})
			}
		}
	}

	// Query parameters, changed in their raw form.
	pieces := strings.Split(r.URL.RawQuery, "&")
	for i, p := range pieces {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		want := KindMismatch
		change := func(p string) string { return p + "x" }
		switch k {
		case "X-Amz-Date":
			change = func(string) string { return k + "=" + vc.ctx.Timestamp.Add(time.Second).Format(amzDateFormat) }
		case "X-Amz-Algorithm":
			want = KindUnsupported
		case "X-Amz-Expires":
			change = func(string) string { return k + "=3601" }
		case "X-Amz-Credential":
			change = func(p string) string { return strings.Replace(p, "us-east-1", "us-east-2", 1) }
		case "X-Amz-SignedHeaders":
			change = func(p string) string { return p + "%3Bzz" }
		case "X-Amz-Signature":
			change = flipLastHex
		case "X-Amz-Security-Token":
			if vc.ctx.OmitSessionToken {
				want = 0 // appended after signing: not a signed part
			}
		}
		add("query "+k, want, func(r *http.Request, _ *[]byte) {
			ps := strings.Split(r.URL.RawQuery, "&")
			ps[i] = change(ps[i])
			setRawQuery(r, strings.Join(ps, "&"))
		})
	}
	add("query extra parameter", KindMismatch, func(r *http.Request, _ *[]byte) {
		q := "Extra=1"
		if r.URL.RawQuery != "" {
			q = r.URL.RawQuery + "&" + q
		}
		setRawQuery(r, q)
	})

	// The Authorization header's own fields.
	if form == "header" {
		for _, c := range []struct {
			name, old, new string
			want           Kind
		}{
			{"access key", "Credential=AKIDEXAMPLE/", "Credential=AKIDEXAMPLF/", KindUnknownKey},
			{"scope date", "/20150830/", "/20150831/", KindScopeMismatch},
			{"scope region", "/us-east-1/", "/us-west-2/", KindMismatch},
			{"scope service", "/service/", "/servicf/", KindMismatch},
			{"scope terminator", "/aws4_request", "/aws4_requesu", KindScopeMismatch},
			{"signed headers", "SignedHeaders=", "SignedHeaders=aa;", KindMismatch},
		} {
			add("authorization "+c.name, c.want, func(r *http.Request, _ *[]byte) {
				h := r.Header.Get("Authorization")
				if !strings.Contains(h, c.old) {
					t.Fatalf("%q not in %q", c.old, h)
				}
				r.Header.Set("Authorization", strings.Replace(h, c.old, c.new, 1))
			})
		}
		add("authorization signature", KindMismatch, func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", flipLastHex(r.Header.Get("Authorization")))
		})
	}
	return ms
}

func setRawQuery(r *http.Request, q string) {
	r.URL.RawQuery = q
	path, _, _ := strings.Cut(r.RequestURI, "?")
	r.RequestURI = path + "?" + q
}

// flipLastHex changes the last character of s, a hex digit, to another one.
func flipLastHex(s string) string {
	last := s[len(s)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return s[:len(s)-1] + string(repl)
}
