// Stop-gap for a gap in the generated wailsjs/go/models.ts (never edit that
// file by hand). Wails v2.16 skips embedded struct fields when it collects
// the types to generate (internal/binding AddStructToGenerateTS: `if
// field.Anonymous … continue`), so app.ImportPreview, which embeds
// importer.Result, names importer.Column and importer.Issue but models.ts
// never declares the importer namespace, and vue-tsc (hence `wails build`)
// fails. This global declaration only satisfies the type checker: nothing
// in the page constructs app.ImportPreview (bindings return plain objects),
// so the missing runtime value is never touched.
//
// Delete this file once models.ts has its own `export namespace importer`
// (a Go-side change: e.g. a bound type naming importer.Result as a named
// field). Until then the module's own namespace, when it appears, simply
// shadows this one.
declare namespace importer {
  class Column {
    index: number
    letter: string
    header: string
    field: string
    label: string
    constructor(source?: unknown)
  }
  class Issue {
    row: number
    column: string
    field: string
    label: string
    code: string
    severity: string
    message: string
    constructor(source?: unknown)
  }
}
