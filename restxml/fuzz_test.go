package restxml_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cairnhq/cairn"
)

// FuzzXMLBodies decodes arbitrary documents as the payload of every
// operation that takes one: Decode never panics, and rejects what it
// cannot bind with a *cairn.Error (MalformedXML), never another error.
func FuzzXMLBodies(f *testing.F) {
	for _, seed := range []string{
		`<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>`,
		`<CompleteMultipartUpload><Part><ETag>"x"</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`,
		`<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>y</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`,
		`<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`,
		`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`,
		`<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`,
		`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
		`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
		`<?xml version="1.0"?><!-- c --><Delete><Object><Key>&lt;&#x41;</Key></Object></Delete>`,
		`<a><b><c><d><e><f/></e></d></c></b></a>`, ``, `<`, `<Delete><Quiet>maybe</Quiet></Delete>`,
	} {
		f.Add(seed)
	}
	p := protocol(f)
	desc := descriptor()
	ops := []struct{ name, target string }{
		{"DeleteObjects", "/b?delete"}, {"CompleteMultipartUpload", "/b/k?uploadId=u"}, {"PutBucketAcl", "/b?acl"},
		{"PutObjectAcl", "/b/k?acl"}, {"PutBucketTagging", "/b?tagging"}, {"PutObjectTagging", "/b/k?tagging"},
		{"PutPublicAccessBlock", "/b?publicAccessBlock"}, {"PutBucketOwnershipControls", "/b?ownershipControls"},
		{"PutBucketEncryption", "/b?encryption"}, {"CreateBucket", "/b"}, {"PutBucketPolicy", "/b?policy"},
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, op := range ops {
			r := httptest.NewRequest("PUT", "http://localhost"+op.target, nil)
			_, err := p.Decode(r, []byte(doc), desc.Op(op.name))
			if err != nil && cairn.AsError(err) == nil {
				t.Fatalf("%s: %v is not a *cairn.Error", op.name, err)
			}
		}
	})
}

// FuzzRouting names the operation of arbitrary requests: it never panics,
// and either names an operation of the model or refuses with a
// *cairn.Error.
func FuzzRouting(f *testing.F) {
	for _, s := range [][4]string{
		{"GET", "/", "", "localhost"}, {"PUT", "/b/k", "partNumber=1&uploadId=x", "localhost"},
		{"GET", "/b", "list-type=2", "b.s3.amazonaws.com"}, {"POST", "/b/k", "uploads", "x.localhost:9"},
		{"DELETE", "//", "acl&policy", "[::1]:80"}, {"HEAD", "/a/../b", "", "a..b.s3."},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	p := protocol(f, "example.org")
	f.Fuzz(func(t *testing.T, method, path, query, host string) {
		u := &url.URL{Scheme: "http", Host: "localhost", Path: path, RawQuery: query}
		r := &http.Request{Method: method, URL: u, Host: host, Header: http.Header{}}
		if strings.ContainsAny(method, " \r\n") {
			return
		}
		name, err := p.OperationName(r, nil)
		if err != nil {
			if cairn.AsError(err) == nil {
				t.Fatalf("%v is not a *cairn.Error", err)
			}
			return
		}
		if name == "" {
			t.Fatal("no operation and no error")
		}
	})
}
