package s3

import (
	"io"
	"time"
)

// Wire shapes. Go field names are the members of the botocore S3 model
// (2006-03-01); the restxml adapter binds them to URI labels, headers,
// query parameters and XML. A member the model defines that a shape leaves
// out is one Cairn does not serve: the adapter refuses a request that sets
// it (NotImplemented) rather than ignore it.

// resolved is what the authorize step learned about the resource a call
// acts on: the Target function fills it, the event's resources and
// recipients read it. It is not a wire member (unexported).
type resolved struct {
	bucketOwner string // account that owns the bucket; "" if it does not exist
	objectOwner string // account that owns the object, for object calls
	// The records authorization decided on, for the handler of a read to
	// serve the same snapshot without reading them again: loaded is true
	// once the bucket (and, for object calls, the object under key; nil
	// if none) were read.
	loaded bool
	bucket *bucketRec
	key    string
	object *objectRec
}

func (r *resolved) res() *resolved { return r }

// resolvable is every input that carries a resolved.
type resolvable interface{ res() *resolved }

// Owner is a bucket or object owner: its canonical user ID.
type Owner struct {
	ID string
}

// Bucket is one entry of ListBuckets.
type Bucket struct {
	Name         string
	CreationDate time.Time
	BucketRegion string
}

// Tag is a bucket or object tag.
type Tag struct {
	Key   string
	Value string
}

// Tagging is a tag set document.
type Tagging struct {
	TagSet []Tag
}

// CommonPrefix is a key prefix rolled up by a delimiter.
type CommonPrefix struct {
	Prefix string
}

// Object is one entry of a listing.
type Object struct {
	Key          string
	LastModified time.Time
	ETag         string
	Size         int64
	StorageClass string
	Owner        *Owner
}

// Grantee is who an ACL grant is for: a canonical user (Type
// CanonicalUser, ID) or a group (Type Group, URI).
type Grantee struct {
	DisplayName  string
	EmailAddress string
	ID           string
	Type         string
	URI          string
}

// Grant is one ACL grant.
type Grant struct {
	Grantee    *Grantee
	Permission string
}

// AccessControlPolicy is an ACL document.
type AccessControlPolicy struct {
	Grants []Grant
	Owner  *Owner
}

// PublicAccessBlockConfiguration is a bucket's Block Public Access
// settings.
type PublicAccessBlockConfiguration struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// OwnershipControls holds the bucket's Object Ownership rule.
type OwnershipControls struct {
	Rules []OwnershipControlsRule
}

// OwnershipControlsRule is BucketOwnerEnforced, BucketOwnerPreferred or
// ObjectWriter.
type OwnershipControlsRule struct {
	ObjectOwnership string
}

// ServerSideEncryptionConfiguration is a bucket's default encryption.
type ServerSideEncryptionConfiguration struct {
	Rules []ServerSideEncryptionRule
}

// ServerSideEncryptionRule is one default encryption rule.
type ServerSideEncryptionRule struct {
	ApplyServerSideEncryptionByDefault *ServerSideEncryptionByDefault
	BucketKeyEnabled                   *bool
}

// ServerSideEncryptionByDefault names the default algorithm and key.
type ServerSideEncryptionByDefault struct {
	SSEAlgorithm   string
	KMSMasterKeyID string
}

// PolicyStatus says whether the bucket policy makes the bucket public.
type PolicyStatus struct {
	IsPublic bool
}

// Initiator is who started a multipart upload.
type Initiator struct {
	ID string
}

// Buckets.

type ListBucketsInput struct {
	MaxBuckets        *int32
	ContinuationToken string
	Prefix            string
	BucketRegion      string
}

type ListBucketsOutput struct {
	Buckets           []Bucket
	Owner             *Owner
	ContinuationToken string
	Prefix            string
}

type CreateBucketConfiguration struct {
	LocationConstraint string
}

type CreateBucketInput struct {
	resolved
	ACL                        string
	Bucket                     string
	CreateBucketConfiguration  *CreateBucketConfiguration
	GrantFullControl           string
	GrantRead                  string
	GrantReadACP               string
	GrantWrite                 string
	GrantWriteACP              string
	ObjectLockEnabledForBucket *bool
	ObjectOwnership            string
}

type CreateBucketOutput struct {
	Location string
}

type HeadBucketInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type HeadBucketOutput struct {
	BucketRegion string
}

type DeleteBucketInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeleteBucketOutput struct{}

type GetBucketLocationInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketLocationOutput struct {
	LocationConstraint string
}

// Objects.

// checksums are the x-amz-checksum-* members an upload may carry.
type PutObjectInput struct {
	resolved
	ACL                     string
	Body                    io.Reader
	Bucket                  string
	CacheControl            string
	ContentDisposition      string
	ContentEncoding         string
	ContentLanguage         string
	ContentLength           *int64
	ContentType             string
	ChecksumAlgorithm       string
	ChecksumCRC32           string
	ChecksumCRC32C          string
	ChecksumCRC64NVME       string
	ChecksumSHA1            string
	ChecksumSHA256          string
	ChecksumSHA512          string
	Expires                 string
	IfMatch                 string
	IfNoneMatch             string
	GrantFullControl        string
	GrantRead               string
	GrantReadACP            string
	GrantWriteACP           string
	Key                     string
	Metadata                map[string]string
	ServerSideEncryption    string
	StorageClass            string
	WebsiteRedirectLocation string
	SSEKMSKeyId             string
	SSEKMSEncryptionContext string
	BucketKeyEnabled        *bool
	Tagging                 string
	ExpectedBucketOwner     string
}

type PutObjectOutput struct {
	ETag                    string
	ChecksumCRC32           string
	ChecksumCRC32C          string
	ChecksumCRC64NVME       string
	ChecksumSHA1            string
	ChecksumSHA256          string
	ChecksumSHA512          string
	ChecksumType            string
	ServerSideEncryption    string
	SSEKMSKeyId             string
	SSEKMSEncryptionContext string
	BucketKeyEnabled        *bool
}

type GetObjectInput struct {
	resolved
	Bucket                     string
	IfMatch                    string
	IfModifiedSince            *time.Time
	IfNoneMatch                string
	IfUnmodifiedSince          *time.Time
	Key                        string
	Range                      string
	ResponseCacheControl       string
	ResponseContentDisposition string
	ResponseContentEncoding    string
	ResponseContentLanguage    string
	ResponseContentType        string
	ResponseExpires            *time.Time
	VersionId                  string
	PartNumber                 *int32
	ExpectedBucketOwner        string
	ChecksumMode               string
}

type GetObjectOutput struct {
	Body                    io.ReadCloser
	AcceptRanges            string
	LastModified            *time.Time
	ContentLength           *int64
	ETag                    string
	ChecksumCRC32           string
	ChecksumCRC32C          string
	ChecksumCRC64NVME       string
	ChecksumSHA1            string
	ChecksumSHA256          string
	ChecksumSHA512          string
	ChecksumType            string
	CacheControl            string
	ContentDisposition      string
	ContentEncoding         string
	ContentLanguage         string
	ContentRange            string
	ContentType             string
	Expires                 string
	WebsiteRedirectLocation string
	ServerSideEncryption    string
	Metadata                map[string]string
	SSEKMSKeyId             string
	BucketKeyEnabled        *bool
	StorageClass            string
	PartsCount              *int32
	TagCount                *int32
}

// HeadObjectInput has GetObject's members.
type HeadObjectInput GetObjectInput

type HeadObjectOutput struct {
	AcceptRanges            string
	LastModified            *time.Time
	ContentLength           *int64
	ETag                    string
	ChecksumCRC32           string
	ChecksumCRC32C          string
	ChecksumCRC64NVME       string
	ChecksumSHA1            string
	ChecksumSHA256          string
	ChecksumSHA512          string
	ChecksumType            string
	CacheControl            string
	ContentDisposition      string
	ContentEncoding         string
	ContentLanguage         string
	ContentRange            string
	ContentType             string
	Expires                 string
	WebsiteRedirectLocation string
	ServerSideEncryption    string
	Metadata                map[string]string
	SSEKMSKeyId             string
	BucketKeyEnabled        *bool
	StorageClass            string
	PartsCount              *int32
	TagCount                *int32
}

type DeleteObjectInput struct {
	resolved
	Bucket                  string
	Key                     string
	VersionId               string
	ExpectedBucketOwner     string
	IfMatch                 string
	IfMatchLastModifiedTime *time.Time
	IfMatchSize             *int64
}

type DeleteObjectOutput struct{}

type ObjectIdentifier struct {
	Key       string
	VersionId string
	ETag      string
}

type Delete struct {
	Objects []ObjectIdentifier
	Quiet   *bool
}

type DeleteObjectsInput struct {
	resolved
	Bucket              string
	Delete              *Delete
	ExpectedBucketOwner string
	ChecksumAlgorithm   string
}

type DeletedObject struct {
	Key       string
	VersionId string
}

// DeleteError is the model's Error: one key DeleteObjects did not delete.
type DeleteError struct {
	Key       string
	VersionId string
	Code      string
	Message   string
}

type DeleteObjectsOutput struct {
	Deleted []DeletedObject
	Errors  []DeleteError
}

type CopyObjectInput struct {
	resolved
	ACL                         string
	Bucket                      string
	CacheControl                string
	ChecksumAlgorithm           string
	ContentDisposition          string
	ContentEncoding             string
	ContentLanguage             string
	ContentType                 string
	CopySource                  string
	CopySourceIfMatch           string
	CopySourceIfModifiedSince   *time.Time
	CopySourceIfNoneMatch       string
	CopySourceIfUnmodifiedSince *time.Time
	Expires                     string
	GrantFullControl            string
	GrantRead                   string
	GrantReadACP                string
	GrantWriteACP               string
	IfMatch                     string
	IfNoneMatch                 string
	Key                         string
	Metadata                    map[string]string
	MetadataDirective           string
	TaggingDirective            string
	ServerSideEncryption        string
	StorageClass                string
	WebsiteRedirectLocation     string
	SSEKMSKeyId                 string
	SSEKMSEncryptionContext     string
	BucketKeyEnabled            *bool
	Tagging                     string
	ExpectedBucketOwner         string
	ExpectedSourceBucketOwner   string
}

type CopyObjectResult struct {
	ETag         string
	LastModified time.Time
}

type CopyObjectOutput struct {
	CopyObjectResult        *CopyObjectResult
	ServerSideEncryption    string
	SSEKMSKeyId             string
	SSEKMSEncryptionContext string
	BucketKeyEnabled        *bool
}

type ListObjectsInput struct {
	resolved
	Bucket              string
	Delimiter           string
	EncodingType        string
	Marker              string
	MaxKeys             *int32
	Prefix              string
	ExpectedBucketOwner string
}

type ListObjectsOutput struct {
	IsTruncated    bool
	Marker         string
	NextMarker     string
	Contents       []Object
	Name           string
	Prefix         string
	Delimiter      string
	MaxKeys        int32
	CommonPrefixes []CommonPrefix
	EncodingType   string
}

type ListObjectsV2Input struct {
	resolved
	Bucket              string
	Delimiter           string
	EncodingType        string
	MaxKeys             *int32
	Prefix              string
	ContinuationToken   string
	FetchOwner          *bool
	StartAfter          string
	ExpectedBucketOwner string
}

type ListObjectsV2Output struct {
	IsTruncated           bool
	Contents              []Object
	Name                  string
	Prefix                string
	Delimiter             string
	MaxKeys               int32
	CommonPrefixes        []CommonPrefix
	EncodingType          string
	KeyCount              int32
	ContinuationToken     string
	NextContinuationToken string
	StartAfter            string
}

// Multipart uploads.

type CreateMultipartUploadInput struct {
	resolved
	ACL                     string
	Bucket                  string
	CacheControl            string
	ContentDisposition      string
	ContentEncoding         string
	ContentLanguage         string
	ContentType             string
	Expires                 string
	GrantFullControl        string
	GrantRead               string
	GrantReadACP            string
	GrantWriteACP           string
	Key                     string
	Metadata                map[string]string
	ServerSideEncryption    string
	StorageClass            string
	WebsiteRedirectLocation string
	SSEKMSKeyId             string
	SSEKMSEncryptionContext string
	BucketKeyEnabled        *bool
	Tagging                 string
	ExpectedBucketOwner     string
	ChecksumAlgorithm       string
	ChecksumType            string
}

type CreateMultipartUploadOutput struct {
	Bucket                  string
	Key                     string
	UploadId                string
	ServerSideEncryption    string
	SSEKMSKeyId             string
	SSEKMSEncryptionContext string
	BucketKeyEnabled        *bool
}

type UploadPartInput struct {
	resolved
	Body                io.Reader
	Bucket              string
	ContentLength       *int64
	ChecksumAlgorithm   string
	ChecksumCRC32       string
	ChecksumCRC32C      string
	ChecksumCRC64NVME   string
	ChecksumSHA1        string
	ChecksumSHA256      string
	ChecksumSHA512      string
	Key                 string
	PartNumber          int32
	UploadId            string
	ExpectedBucketOwner string
}

type UploadPartOutput struct {
	ServerSideEncryption string
	ETag                 string
	ChecksumCRC32        string
	ChecksumCRC32C       string
	ChecksumCRC64NVME    string
	ChecksumSHA1         string
	ChecksumSHA256       string
	ChecksumSHA512       string
	SSEKMSKeyId          string
	BucketKeyEnabled     *bool
}

type UploadPartCopyInput struct {
	resolved
	Bucket                      string
	CopySource                  string
	CopySourceIfMatch           string
	CopySourceIfModifiedSince   *time.Time
	CopySourceIfNoneMatch       string
	CopySourceIfUnmodifiedSince *time.Time
	CopySourceRange             string
	Key                         string
	PartNumber                  int32
	UploadId                    string
	ExpectedBucketOwner         string
	ExpectedSourceBucketOwner   string
}

type CopyPartResult struct {
	ETag         string
	LastModified time.Time
}

type UploadPartCopyOutput struct {
	CopyPartResult       *CopyPartResult
	ServerSideEncryption string
	SSEKMSKeyId          string
	BucketKeyEnabled     *bool
}

type CompletedPart struct {
	ETag       string
	PartNumber *int32
}

type CompletedMultipartUpload struct {
	Parts []CompletedPart
}

type CompleteMultipartUploadInput struct {
	resolved
	Bucket              string
	Key                 string
	MultipartUpload     *CompletedMultipartUpload
	UploadId            string
	MpuObjectSize       *int64
	ExpectedBucketOwner string
	IfMatch             string
	IfNoneMatch         string
}

type CompleteMultipartUploadOutput struct {
	Location             string
	Bucket               string
	Key                  string
	ETag                 string
	ServerSideEncryption string
	SSEKMSKeyId          string
	BucketKeyEnabled     *bool
}

type AbortMultipartUploadInput struct {
	resolved
	Bucket               string
	Key                  string
	UploadId             string
	ExpectedBucketOwner  string
	IfMatchInitiatedTime *time.Time
}

type AbortMultipartUploadOutput struct{}

type ListPartsInput struct {
	resolved
	Bucket              string
	Key                 string
	MaxParts            *int32
	PartNumberMarker    *int32
	UploadId            string
	ExpectedBucketOwner string
}

type Part struct {
	PartNumber   int32
	LastModified time.Time
	ETag         string
	Size         int64
}

type ListPartsOutput struct {
	Bucket               string
	Key                  string
	UploadId             string
	PartNumberMarker     *int32
	NextPartNumberMarker *int32
	MaxParts             int32
	IsTruncated          bool
	Parts                []Part
	Initiator            *Initiator
	Owner                *Owner
	StorageClass         string
}

type ListMultipartUploadsInput struct {
	resolved
	Bucket              string
	Delimiter           string
	EncodingType        string
	KeyMarker           string
	MaxUploads          *int32
	Prefix              string
	UploadIdMarker      string
	ExpectedBucketOwner string
}

type MultipartUpload struct {
	UploadId     string
	Key          string
	Initiated    time.Time
	StorageClass string
	Owner        *Owner
	Initiator    *Initiator
}

type ListMultipartUploadsOutput struct {
	Bucket             string
	KeyMarker          string
	UploadIdMarker     string
	NextKeyMarker      string
	Prefix             string
	Delimiter          string
	NextUploadIdMarker string
	MaxUploads         int32
	IsTruncated        bool
	Uploads            []MultipartUpload
	CommonPrefixes     []CommonPrefix
	EncodingType       string
}

// Bucket policy.

type PutBucketPolicyInput struct {
	resolved
	Bucket                        string
	ChecksumAlgorithm             string
	ConfirmRemoveSelfBucketAccess *bool
	Policy                        string
	ExpectedBucketOwner           string
}

type PutBucketPolicyOutput struct{}

type GetBucketPolicyInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketPolicyOutput struct {
	Policy string
}

type DeleteBucketPolicyInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeleteBucketPolicyOutput struct{}

type GetBucketPolicyStatusInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketPolicyStatusOutput struct {
	PolicyStatus *PolicyStatus
}

// Block Public Access.

type PutPublicAccessBlockInput struct {
	resolved
	Bucket                         string
	ChecksumAlgorithm              string
	PublicAccessBlockConfiguration *PublicAccessBlockConfiguration
	ExpectedBucketOwner            string
}

type PutPublicAccessBlockOutput struct{}

type GetPublicAccessBlockInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetPublicAccessBlockOutput struct {
	PublicAccessBlockConfiguration *PublicAccessBlockConfiguration
}

type DeletePublicAccessBlockInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeletePublicAccessBlockOutput struct{}

// Object Ownership.

type PutBucketOwnershipControlsInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
	OwnershipControls   *OwnershipControls
	ChecksumAlgorithm   string
}

type PutBucketOwnershipControlsOutput struct{}

type GetBucketOwnershipControlsInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketOwnershipControlsOutput struct {
	OwnershipControls *OwnershipControls
}

type DeleteBucketOwnershipControlsInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeleteBucketOwnershipControlsOutput struct{}

// ACLs.

type PutBucketAclInput struct {
	resolved
	ACL                 string
	AccessControlPolicy *AccessControlPolicy
	Bucket              string
	ChecksumAlgorithm   string
	GrantFullControl    string
	GrantRead           string
	GrantReadACP        string
	GrantWrite          string
	GrantWriteACP       string
	ExpectedBucketOwner string
}

type PutBucketAclOutput struct{}

type GetBucketAclInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketAclOutput struct {
	Owner  *Owner
	Grants []Grant
}

type PutObjectAclInput struct {
	resolved
	ACL                 string
	AccessControlPolicy *AccessControlPolicy
	Bucket              string
	ChecksumAlgorithm   string
	GrantFullControl    string
	GrantRead           string
	GrantReadACP        string
	GrantWrite          string
	GrantWriteACP       string
	Key                 string
	VersionId           string
	ExpectedBucketOwner string
}

type PutObjectAclOutput struct{}

type GetObjectAclInput struct {
	resolved
	Bucket              string
	Key                 string
	VersionId           string
	ExpectedBucketOwner string
}

type GetObjectAclOutput struct {
	Owner  *Owner
	Grants []Grant
}

// Tags.

type PutBucketTaggingInput struct {
	resolved
	Bucket              string
	ChecksumAlgorithm   string
	Tagging             *Tagging
	ExpectedBucketOwner string
}

type PutBucketTaggingOutput struct{}

type GetBucketTaggingInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketTaggingOutput struct {
	TagSet []Tag
}

type DeleteBucketTaggingInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeleteBucketTaggingOutput struct{}

type PutObjectTaggingInput struct {
	resolved
	Bucket              string
	Key                 string
	VersionId           string
	ChecksumAlgorithm   string
	Tagging             *Tagging
	ExpectedBucketOwner string
}

type PutObjectTaggingOutput struct{}

type GetObjectTaggingInput struct {
	resolved
	Bucket              string
	Key                 string
	VersionId           string
	ExpectedBucketOwner string
}

type GetObjectTaggingOutput struct {
	TagSet []Tag
}

type DeleteObjectTaggingInput struct {
	resolved
	Bucket              string
	Key                 string
	VersionId           string
	ExpectedBucketOwner string
}

type DeleteObjectTaggingOutput struct{}

// Default encryption.

type PutBucketEncryptionInput struct {
	resolved
	Bucket                            string
	ChecksumAlgorithm                 string
	ServerSideEncryptionConfiguration *ServerSideEncryptionConfiguration
	ExpectedBucketOwner               string
}

type PutBucketEncryptionOutput struct{}

type GetBucketEncryptionInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type GetBucketEncryptionOutput struct {
	ServerSideEncryptionConfiguration *ServerSideEncryptionConfiguration
}

type DeleteBucketEncryptionInput struct {
	resolved
	Bucket              string
	ExpectedBucketOwner string
}

type DeleteBucketEncryptionOutput struct{}
