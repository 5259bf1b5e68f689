package s3

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn"
)

// CloudTrail resource types of S3.
const (
	typeBucket = "AWS::S3::Bucket"
	typeObject = "AWS::S3::Object"
)

// signatureVersion is the only signature Cairn verifies (s3:signatureversion).
const signatureVersion = "AWS4-HMAC-SHA256"

// opSpec describes one operation row before it is bound to its handler.
type opSpec struct {
	name, action string
	readOnly     bool
	// data marks object-level operations: data events, authorized on the
	// object's ARN (or, for listings, the bucket's) and recorded with
	// the object and the bucket.
	data  bool
	scope objectScope
	// list marks object listings: data events decided on the bucket.
	list bool
	// sub is the subresource CloudTrail records ("acl", "policy", …).
	sub string
	// record lists the members recorded in requestParameters, as
	// recorded name = Go field.
	record []string
	// more and cond add actions and condition keys from the input.
	more func(in reflect.Value) []string
	cond func(in reflect.Value, m map[string][]string)
	// params adds what record cannot express.
	params func(v reflect.Value, m map[string]any)
	// elements records the server-side encryption in responseElements.
	elements bool
	// noTarget: the call creates the bucket, so no existing bucket's
	// policy bears on it.
	noTarget bool
	// resources, when set, replaces the bucket/object resources.
	resources func(c *cairn.Call, in reflect.Value) []cairn.Resource
	// perKey: the handler authorizes each key itself (DeleteObjects, whose
	// denied keys are errors in its result, not a denied call).
	perKey bool
}

// define binds a handler to a row built from sp.
func define[I, O any](s *Service, sp opSpec, h func(context.Context, *cairn.Call, *I) (*O, error)) cairn.Operation {
	t := reflect.TypeFor[I]()
	bi, ki := fieldIndex(t, "Bucket"), fieldIndex(t, "Key")
	str := func(v reflect.Value, i int) string {
		if i < 0 {
			return ""
		}
		return v.Field(i).String()
	}
	elem := func(in any) (reflect.Value, bool) {
		v := reflect.ValueOf(in)
		if v.Kind() != reflect.Pointer || v.IsNil() {
			return reflect.Value{}, false
		}
		return v.Elem(), true
	}
	op := cairn.Operation{Name: sp.name, Action: sp.action, ReadOnly: sp.readOnly, Data: sp.data || sp.list, AlwaysAllowed: sp.perKey}
	op.Resources = func(c *cairn.Call, in any) []cairn.Resource {
		v, ok := elem(in)
		if !ok {
			return nil
		}
		if sp.resources != nil {
			return sp.resources(c, v)
		}
		bucket := str(v, bi)
		if bucket == "" {
			return nil
		}
		owner := ""
		if r := resolvedOf(in); r != nil {
			owner = r.bucketOwner
		}
		b := cairn.Resource{ARN: BucketARN(bucket), Type: typeBucket, Name: bucket, Account: owner}
		switch {
		case sp.list:
			return []cairn.Resource{{ARN: BucketARN(bucket) + "/", Type: typeObject, RecordOnly: true}, b}
		case sp.data:
			key := str(v, ki)
			b.RecordOnly = true
			return []cairn.Resource{{ARN: ObjectARN(bucket, key), Type: typeObject}, b}
		}
		return []cairn.Resource{b}
	}
	if bi >= 0 && !sp.noTarget {
		op.Target = func(ctx context.Context, c *cairn.Call, in any) (*cairn.Target, error) {
			v, ok := elem(in)
			if !ok {
				return nil, nil
			}
			return s.resolveTarget(ctx, c, in, str(v, bi), str(v, ki), sp.scope)
		}
		op.Recipients = func(c *cairn.Call, in any) []string {
			if r := resolvedOf(in); r != nil && r.bucketOwner != "" {
				return []string{r.bucketOwner}
			}
			return nil
		}
	}
	op.Conditions = func(c *cairn.Call, in any) map[string][]string {
		m := callConditions(c)
		if v, ok := elem(in); ok && sp.cond != nil {
			sp.cond(v, m)
		}
		return m
	}
	if sp.more != nil {
		op.MoreActions = func(c *cairn.Call, in any) []string {
			if v, ok := elem(in); ok {
				return sp.more(v)
			}
			return nil
		}
	}
	op.Parameters = func(c *cairn.Call, in any) map[string]any {
		v, ok := elem(in)
		if !ok {
			return nil
		}
		m := map[string]any{"Host": c.Host}
		if b := str(v, bi); b != "" {
			m["bucketName"] = b
		}
		if k := str(v, ki); k != "" {
			m["key"] = k
		}
		if sp.sub != "" {
			m[sp.sub] = ""
		}
		for _, r := range sp.record {
			name, field, _ := strings.Cut(r, "=")
			if val, ok := recordable(v.FieldByName(field)); ok {
				m[name] = val
			}
		}
		if sp.params != nil {
			sp.params(v, m)
		}
		return m
	}
	if sp.elements {
		op.Elements = func(c *cairn.Call, out any) map[string]any {
			v := reflect.Indirect(reflect.ValueOf(out))
			if !v.IsValid() || v.Kind() != reflect.Struct {
				return nil
			}
			if f := v.FieldByName("ServerSideEncryption"); f.IsValid() && f.String() != "" {
				m := map[string]any{"x-amz-server-side-encryption": f.String()}
				if k := v.FieldByName("SSEKMSKeyId"); k.IsValid() && k.String() != "" {
					m["x-amz-server-side-encryption-aws-kms-key-id"] = k.String()
				}
				return m
			}
			return nil
		}
	}
	return cairn.Define(op, h)
}

func fieldIndex(t reflect.Type, name string) int {
	f, ok := t.FieldByName(name)
	if !ok || len(f.Index) != 1 || f.Type.Kind() != reflect.String {
		return -1
	}
	return f.Index[0]
}

// recordable renders a member for requestParameters: strings, numbers,
// booleans and times as text, structures as JSON values. Unset members
// are left out.
func recordable(v reflect.Value) (any, bool) {
	if !v.IsValid() {
		return nil, false
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), v.Len() > 0
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return t.UTC().Format(time.RFC3339), !t.IsZero()
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil, false
		}
		var out any
		_ = json.Unmarshal(b, &out)
		return out, true
	}
	return nil, false
}

// callConditions are the S3 condition keys every request has.
func callConditions(c *cairn.Call) map[string][]string {
	m := map[string][]string{}
	if c.AuthType != "" {
		m["s3:authtype"] = []string{c.AuthType}
		m["s3:signatureversion"] = []string{signatureVersion}
	}
	if c.PayloadHash != "" {
		m["s3:x-amz-content-sha256"] = []string{c.PayloadHash}
	}
	return m
}

// setKey adds a condition key from a string member when it is set.
func setKey(m map[string][]string, v reflect.Value, key, field string) {
	if f := v.FieldByName(field); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		m[key] = []string{f.String()}
	}
}

// writeConditions adds the keys of requests that write an object.
func objectWriteKeys(v reflect.Value, m map[string][]string) {
	setKey(m, v, "s3:x-amz-acl", "ACL")
	setKey(m, v, "s3:x-amz-server-side-encryption", "ServerSideEncryption")
	setKey(m, v, "s3:x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId")
	setKey(m, v, "s3:x-amz-storage-class", "StorageClass")
	setKey(m, v, "s3:x-amz-grant-full-control", "GrantFullControl")
	setKey(m, v, "s3:x-amz-grant-read", "GrantRead")
	setKey(m, v, "s3:x-amz-grant-read-acp", "GrantReadACP")
	setKey(m, v, "s3:x-amz-grant-write", "GrantWrite")
	setKey(m, v, "s3:x-amz-grant-write-acp", "GrantWriteACP")
	setKey(m, v, "s3:x-amz-copy-source", "CopySource")
	setKey(m, v, "s3:x-amz-metadata-directive", "MetadataDirective")
	if f := v.FieldByName("Tagging"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		requestTagKeys(m, f.String())
	}
}

// requestTagKeys adds s3:RequestObjectTag/<key> and
// s3:RequestObjectTagKeys from an x-amz-tagging header.
func requestTagKeys(m map[string][]string, tagging string) {
	q, err := url.ParseQuery(tagging)
	if err != nil {
		return
	}
	var keys []string
	for k, vs := range q {
		m["s3:requestobjecttag/"+strings.ToLower(k)] = vs
		keys = append(keys, k)
	}
	if len(keys) > 0 {
		m["s3:requestobjecttagkeys"] = keys
	}
}

// listKeys adds the keys of listings.
func listKeys(v reflect.Value, m map[string][]string) {
	setKey(m, v, "s3:prefix", "Prefix")
	setKey(m, v, "s3:delimiter", "Delimiter")
	for _, f := range []string{"MaxKeys", "MaxUploads"} {
		if fv := v.FieldByName(f); fv.IsValid() && !fv.IsNil() {
			m["s3:max-keys"] = []string{strconv.FormatInt(fv.Elem().Int(), 10)}
		}
	}
}

// objectWriteActions adds s3:PutObjectTagging to writes that tag the new
// object, as S3 requires. A canned ACL or grant headers on the write need
// no more than s3:PutObject (the bucket policy CloudTrail documents
// grants only that, conditioned on s3:x-amz-acl).
func objectWriteActions(v reflect.Value) []string {
	if fv := v.FieldByName("Tagging"); fv.IsValid() && fv.Kind() == reflect.String && fv.String() != "" {
		return []string{"s3:PutObjectTagging"}
	}
	return nil
}

var writeRecord = []string{"x-amz-acl=ACL", "x-amz-server-side-encryption=ServerSideEncryption",
	"x-amz-server-side-encryption-aws-kms-key-id=SSEKMSKeyId", "x-amz-storage-class=StorageClass"}

// Descriptor is S3's operation table: for each operation its IAM action,
// its resources (the bucket; the object and its bucket for object-level
// calls, which are data events), its condition keys, the Target that
// gives the policy engine the bucket policy and ACLs, and what its event
// records: bucketName, key, Host and the relevant headers, never a body.
func (s *Service) Descriptor() *cairn.Service {
	s.descOnce.Do(func() { s.desc = s.descriptor() })
	return s.desc
}

func (s *Service) descriptor() *cairn.Service {
	bucketOp := func(name, action string, ro bool, sub string) opSpec {
		return opSpec{name: name, action: action, readOnly: ro, sub: sub}
	}
	objectRead := func(name, action string, ro bool, sub string) opSpec {
		return opSpec{name: name, action: action, readOnly: ro, data: true, scope: scopeObjectRead, sub: sub}
	}
	objectWrite := func(name, action string, sub string) opSpec {
		return opSpec{name: name, action: action, data: true, scope: scopeObjectWrite, sub: sub}
	}
	put := objectWrite("PutObject", "s3:PutObject", "")
	put.cond, put.more, put.record, put.elements = objectWriteKeys, objectWriteActions, writeRecord, true
	cp := objectWrite("CopyObject", "s3:PutObject", "")
	cp.cond, cp.more, cp.elements = objectWriteKeys, objectWriteActions, true
	cp.record = append([]string{"x-amz-copy-source=CopySource", "x-amz-metadata-directive=MetadataDirective"}, writeRecord...)
	create := objectWrite("CreateMultipartUpload", "s3:PutObject", "uploads")
	create.cond, create.more, create.record, create.elements = objectWriteKeys, objectWriteActions, writeRecord, true
	part := objectWrite("UploadPart", "s3:PutObject", "")
	part.record, part.elements = []string{"uploadId=UploadId", "partNumber=PartNumber"}, true
	partCopy := objectWrite("UploadPartCopy", "s3:PutObject", "")
	partCopy.record, partCopy.elements = []string{"uploadId=UploadId", "partNumber=PartNumber", "x-amz-copy-source=CopySource"}, true
	partCopy.cond = objectWriteKeys
	complete := objectWrite("CompleteMultipartUpload", "s3:PutObject", "")
	complete.record, complete.elements = []string{"uploadId=UploadId"}, true
	abort := objectWrite("AbortMultipartUpload", "s3:AbortMultipartUpload", "")
	abort.record = []string{"uploadId=UploadId"}
	listParts := objectWrite("ListParts", "s3:ListMultipartUploadParts", "")
	listParts.readOnly, listParts.record = true, []string{"uploadId=UploadId"}
	del := objectWrite("DeleteObject", "s3:DeleteObject", "")
	delMany := objectWrite("DeleteObjects", "s3:DeleteObject", "delete")
	delMany.perKey = true
	delMany.resources = func(c *cairn.Call, v reflect.Value) []cairn.Resource {
		in := v.Addr().Interface().(*DeleteObjectsInput)
		var rs []cairn.Resource
		if in.Delete != nil {
			for _, o := range in.Delete.Objects {
				rs = append(rs, cairn.Resource{ARN: ObjectARN(in.Bucket, o.Key), Type: typeObject})
			}
		}
		return append(rs, cairn.Resource{ARN: BucketARN(in.Bucket), Type: typeBucket, Name: in.Bucket,
			Account: in.bucketOwner, RecordOnly: len(rs) > 0})
	}
	list := opSpec{name: "ListObjects", action: "s3:ListBucket", readOnly: true, list: true, cond: listKeys,
		record: []string{"prefix=Prefix", "delimiter=Delimiter", "marker=Marker", "max-keys=MaxKeys", "encoding-type=EncodingType"}}
	list2 := opSpec{name: "ListObjectsV2", action: "s3:ListBucket", readOnly: true, list: true, cond: listKeys,
		params: func(_ reflect.Value, m map[string]any) { m["list-type"] = "2" },
		record: []string{"prefix=Prefix", "delimiter=Delimiter", "max-keys=MaxKeys", "start-after=StartAfter",
			"continuation-token=ContinuationToken", "fetch-owner=FetchOwner", "encoding-type=EncodingType"}}
	uploads := opSpec{name: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads", readOnly: true, list: true,
		cond: listKeys, sub: "uploads", record: []string{"prefix=Prefix", "delimiter=Delimiter", "key-marker=KeyMarker"}}
	createBucket := bucketOp("CreateBucket", "s3:CreateBucket", false, "")
	createBucket.noTarget = true
	createBucket.cond = func(v reflect.Value, m map[string][]string) {
		in := v.Addr().Interface().(*CreateBucketInput)
		if in.CreateBucketConfiguration != nil && in.CreateBucketConfiguration.LocationConstraint != "" {
			m["s3:locationconstraint"] = []string{in.CreateBucketConfiguration.LocationConstraint}
		}
		setKey(m, v, "s3:x-amz-object-ownership", "ObjectOwnership")
		objectWriteKeys(v, m)
	}
	createBucket.more = func(v reflect.Value) []string {
		in := v.Addr().Interface().(*CreateBucketInput)
		var out []string
		if in.ACL != "" || in.GrantFullControl != "" || in.GrantRead != "" || in.GrantReadACP != "" || in.GrantWrite != "" || in.GrantWriteACP != "" {
			out = append(out, "s3:PutBucketAcl")
		}
		if in.ObjectOwnership != "" {
			out = append(out, "s3:PutBucketOwnershipControls")
		}
		return out
	}
	createBucket.record = []string{"CreateBucketConfiguration=CreateBucketConfiguration", "x-amz-acl=ACL", "x-amz-object-ownership=ObjectOwnership"}
	putBucketAcl := bucketOp("PutBucketAcl", "s3:PutBucketAcl", false, "acl")
	putBucketAcl.cond, putBucketAcl.record = objectWriteKeys, []string{"x-amz-acl=ACL", "AccessControlPolicy=AccessControlPolicy"}
	putObjectAcl := objectRead("PutObjectAcl", "s3:PutObjectAcl", false, "acl")
	putObjectAcl.cond, putObjectAcl.record = objectWriteKeys, []string{"x-amz-acl=ACL", "AccessControlPolicy=AccessControlPolicy"}
	putObjectTagging := objectRead("PutObjectTagging", "s3:PutObjectTagging", false, "tagging")
	putObjectTagging.cond = func(v reflect.Value, m map[string][]string) {
		in := v.Addr().Interface().(*PutObjectTaggingInput)
		if in.Tagging != nil {
			q := url.Values{}
			for _, t := range in.Tagging.TagSet {
				q.Add(t.Key, t.Value)
			}
			requestTagKeys(m, q.Encode())
		}
	}
	putObjectTagging.record = []string{"Tagging=Tagging"}
	putPolicy := bucketOp("PutBucketPolicy", "s3:PutBucketPolicy", false, "policy")
	putPolicy.params = func(v reflect.Value, m map[string]any) {
		var doc any
		if json.Unmarshal([]byte(v.FieldByName("Policy").String()), &doc) == nil {
			m["bucketPolicy"] = doc
		}
	}
	get := objectRead("GetObject", "s3:GetObject", true, "")
	get.record = []string{"Range=Range", "partNumber=PartNumber"}
	head := objectRead("HeadObject", "s3:GetObject", true, "")
	head.record = get.record

	rows := []cairn.Operation{
		define(s, opSpec{name: "ListBuckets", action: "s3:ListAllMyBuckets", readOnly: true,
			resources: func(*cairn.Call, reflect.Value) []cairn.Resource { return nil }}, s.ListBuckets),
		define(s, createBucket, s.CreateBucket),
		define(s, bucketOp("HeadBucket", "s3:ListBucket", true, ""), s.HeadBucket),
		define(s, bucketOp("DeleteBucket", "s3:DeleteBucket", false, ""), s.DeleteBucket),
		define(s, bucketOp("GetBucketLocation", "s3:GetBucketLocation", true, "location"), s.GetBucketLocation),
		define(s, put, s.PutObject),
		define(s, get, s.GetObject),
		define(s, head, s.HeadObject),
		define(s, del, s.DeleteObject),
		define(s, delMany, s.DeleteObjects),
		define(s, cp, s.CopyObject),
		define(s, list, s.ListObjects),
		define(s, list2, s.ListObjectsV2),
		define(s, create, s.CreateMultipartUpload),
		define(s, part, s.UploadPart),
		define(s, partCopy, s.UploadPartCopy),
		define(s, complete, s.CompleteMultipartUpload),
		define(s, abort, s.AbortMultipartUpload),
		define(s, listParts, s.ListParts),
		define(s, uploads, s.ListMultipartUploads),
		define(s, putPolicy, s.PutBucketPolicy),
		define(s, bucketOp("GetBucketPolicy", "s3:GetBucketPolicy", true, "policy"), s.GetBucketPolicy),
		define(s, bucketOp("DeleteBucketPolicy", "s3:DeleteBucketPolicy", false, "policy"), s.DeleteBucketPolicy),
		define(s, bucketOp("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", true, "policyStatus"), s.GetBucketPolicyStatus),
		define(s, withRecord(bucketOp("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", false, "publicAccessBlock"),
			"PublicAccessBlockConfiguration=PublicAccessBlockConfiguration"), s.PutPublicAccessBlock),
		define(s, bucketOp("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", true, "publicAccessBlock"), s.GetPublicAccessBlock),
		define(s, bucketOp("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", false, "publicAccessBlock"), s.DeletePublicAccessBlock),
		define(s, withRecord(bucketOp("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", false, "ownershipControls"),
			"OwnershipControls=OwnershipControls"), s.PutBucketOwnershipControls),
		define(s, bucketOp("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", true, "ownershipControls"), s.GetBucketOwnershipControls),
		define(s, bucketOp("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls", false, "ownershipControls"), s.DeleteBucketOwnershipControls),
		define(s, putBucketAcl, s.PutBucketAcl),
		define(s, bucketOp("GetBucketAcl", "s3:GetBucketAcl", true, "acl"), s.GetBucketAcl),
		define(s, putObjectAcl, s.PutObjectAcl),
		define(s, objectRead("GetObjectAcl", "s3:GetObjectAcl", true, "acl"), s.GetObjectAcl),
		define(s, withRecord(bucketOp("PutBucketTagging", "s3:PutBucketTagging", false, "tagging"), "Tagging=Tagging"), s.PutBucketTagging),
		define(s, bucketOp("GetBucketTagging", "s3:GetBucketTagging", true, "tagging"), s.GetBucketTagging),
		define(s, bucketOp("DeleteBucketTagging", "s3:PutBucketTagging", false, "tagging"), s.DeleteBucketTagging),
		define(s, putObjectTagging, s.PutObjectTagging),
		define(s, objectRead("GetObjectTagging", "s3:GetObjectTagging", true, "tagging"), s.GetObjectTagging),
		define(s, objectRead("DeleteObjectTagging", "s3:DeleteObjectTagging", false, "tagging"), s.DeleteObjectTagging),
		define(s, withRecord(bucketOp("PutBucketEncryption", "s3:PutEncryptionConfiguration", false, "encryption"),
			"ServerSideEncryptionConfiguration=ServerSideEncryptionConfiguration"), s.PutBucketEncryption),
		define(s, bucketOp("GetBucketEncryption", "s3:GetEncryptionConfiguration", true, "encryption"), s.GetBucketEncryption),
		define(s, bucketOp("DeleteBucketEncryption", "s3:PutEncryptionConfiguration", false, "encryption"), s.DeleteBucketEncryption),
	}
	return &cairn.Service{Name: "s3", EventSource: "s3.amazonaws.com", APIVersion: "2006-03-01", Operations: rows}
}

func withRecord(sp opSpec, record ...string) opSpec {
	sp.record = append(sp.record, record...)
	return sp
}
