// Package sigv4 verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) on
// incoming HTTP requests: the Authorization header form, the presigned
// query form, and the chunk and trailer signatures of aws-chunked bodies. It
// knows no service beyond the one rule SigV4 itself makes for S3's paths.
//
// # Guarantees
//
// A request passes Verify only if its signature was made with the secret key
// of the access key ID it names, over its method, its path, every query
// parameter (but X-Amz-Signature, and X-Amz-Security-Token only when
// Verifier.AllowUnsignedQueryToken says so), every header listed in
// SignedHeaders (which must include host), the request time, the credential
// scope and the payload hash. Every other part of the request is unsigned,
// and a caller must not trust it: Auth.SignedHeaders says which headers are
// signed.
//
//   - Header-signed requests must be dated within MaxSkew (15 minutes by
//     default) of the injected clock; presigned URLs from no more than MaxSkew
//     ahead of it to X-Amz-Date + X-Amz-Expires (at most 7 days).
//   - The credential scope must be dated the day of the request time and end
//     in aws4_request. Region and service are returned, not checked: the
//     caller compares them with the endpoint it serves.
//   - Signatures are compared in constant time. Derived signing keys are
//     cached per access key, day, region and service in a bounded cache
//     held by the Verifier; a rotated secret is noticed and re-derived.
//   - Error messages never contain a secret key, a derived key or the
//     signature the verifier expected.
//   - The payload: when the caller passes the body's hash, the signature
//     covers the body. When it passes "" (S3), the signature covers the
//     x-amz-content-sha256 value, and the body is covered only once it has
//     been read to io.EOF through NewPayloadReader (or NewChunkedReader): a
//     consumer must discard what it read if the reader returns an error.
//
// There is no package-level mutable state; time comes from Verifier.Now.
//
// # Canonical requests
//
// The path is taken as the client sent it (r.RequestURI on a server). For
// service "s3" it is signed as sent, escaped once and not normalized; for
// every other service it is normalized (dot segments removed, repeated
// slashes collapsed) and escaped again, and the path as sent, escaped
// again, is also accepted, because aws-sdk-go-v2 does not normalize. The
// query is decoded and re-encoded per RFC 3986 and sorted by name, then
// value. Header values are trimmed and runs of spaces collapsed; repeated
// headers are joined with ','. Host comes from r.Host and Content-Length from
// the header or r.ContentLength.
package sigv4
