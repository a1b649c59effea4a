// Package atomicfile writes output files atomically: each is written to
// a hidden temporary file in its folder, synced, and renamed over its
// name only when complete, so a reader never sees half a file and a
// failed or interrupted run leaves an existing file untouched.
//
// Create gives a streaming File (Write, then Commit or Abort); WriteFile
// writes one file from a function; WriteFiles writes several files all
// or none. Errors name the output path, never the temporary file, which
// the user did not ask for. Temporary files carry the writer's process
// id, so RemoveStale can tell and remove those a killed run left behind.
//
// The package imports nothing of the project. Only cmd/stance (and
// bench/) opens output files with it: the libraries write to an
// io.Writer (models.Model.Write, eval.Report.Files, suggest.WriteTodo,
// pipeline.Ingest, subword.Tokenizer.Write).
package atomicfile
