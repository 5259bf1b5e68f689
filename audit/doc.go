// Package audit turns calls into CloudTrail records and makes them durable.
//
// Guarantees: Recorder.Record returns only after the events it was given
// are committed by the store, or with an error (the caller then fails the
// call: fail closed). Records carry request parameters and response
// elements only through each operation's allow-list, so secrets, session
// tokens, plaintexts and bodies cannot reach an event.
package audit
