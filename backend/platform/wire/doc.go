// Package wire is the provincial platform's interface as Go types: the
// requests, responses, routes and error codes of docs/platform-api.yaml,
// shared by the simulator (backend/platform/sim) and the sync client, so the
// two cannot drift apart. A test checks the YAML against this package.
package wire

// BasePath prefixes every route.
const BasePath = "/api/v1"

// Route is one operation of the contract.
type Route struct{ Method, Path string }

// Routes lists every operation of the production contract, in the YAML's
// path syntax. SimRoutes are the simulator's extras, never in production.
var Routes = []Route{
	{"POST", "/auth/challenge"},
	{"POST", "/auth/login"},
	{"GET", "/catalog/versions"},
	{"GET", "/codelists/{name}"},
	{"GET", "/regions/version"},
	{"GET", "/comparison/{dataset}/deltas"},
	{"GET", "/feedback"},
	{"GET", "/updates/manifest"},
	{"GET", "/receipt-key"},
	{"PUT", "/batches/{batchUid}/versions/{version}"},
	{"PUT", "/uploads/{uploadId}/chunks/{index}"},
	{"POST", "/uploads/{uploadId}/complete"},
	{"GET", "/batches/{batchUid}/versions/{version}/receipt"},
}

var SimRoutes = []Route{
	{"POST", "/_sim/faults"},
	{"GET", "/_sim/batches"},
}
