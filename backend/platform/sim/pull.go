package sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"caiji/backend/platform/wire"
)

// The pull operations other than feedback serve fixed data: enough for a
// client to exercise them, not a copy of the province's catalog.

func (s *Server) catalogVersions(w http.ResponseWriter, _ *http.Request, _ session) {
	writeJSON(w, http.StatusOK, wire.CatalogVersions{Items: []wire.DatasetVersion{
		{Dataset: "dibao_roster", Version: "2026.1"},
		{Dataset: "tekun_roster", Version: "2026.1"},
	}})
}

var simCodeLists = map[string]wire.CodeList{
	"category": {Name: "category", Version: "2026.1", Items: []wire.CodeItem{
		{Code: "dibao", Label: "低保"}, {Code: "tekun", Label: "特困"},
	}},
	"bank": {Name: "bank", Version: "2026.1", Items: []wire.CodeItem{
		{Code: "ABC", Label: "中国农业银行"}, {Code: "RCB", Label: "农村商业银行"},
	}},
}

func (s *Server) codeList(w http.ResponseWriter, r *http.Request, _ session) {
	cl, ok := simCodeLists[r.PathValue("name")]
	if !ok {
		fail(w, http.StatusNotFound, wire.NotFound, "平台没有名为 "+r.PathValue("name")+" 的代码表。请先用 GET /catalog/versions 核对。")
		return
	}
	writeJSON(w, http.StatusOK, cl)
}

func (s *Server) regionsVersion(w http.ResponseWriter, _ *http.Request, _ session) {
	writeJSON(w, http.StatusOK, wire.RegionsVersion{Version: "2026.1", SHA256: "", URL: ""})
}

// deltas never has news: the simulator holds no comparison data.
func (s *Server) deltas(w http.ResponseWriter, r *http.Request, _ session) {
	cursor := r.URL.Query().Get("since")
	if cursor == "" {
		cursor = "0"
	}
	writeJSON(w, http.StatusOK, wire.Deltas{Dataset: r.PathValue("dataset"), Items: []map[string]string{}, Cursor: cursor})
}

func (s *Server) updateManifest(w http.ResponseWriter, _ *http.Request, _ session) {
	writeJSON(w, http.StatusOK, wire.UpdateManifest{Version: "0.0.0", Notes: "模拟平台不提供升级包。"})
}

// feedback lists the rejections of the caller's org unit after the cursor
// (the last item id seen).
func (s *Server) feedback(w http.ResponseWriter, r *http.Request, sess session) {
	since := int64(0)
	if v := r.URL.Query().Get("since"); v != "" {
		var err error
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			fail(w, http.StatusBadRequest, wire.BadRequest, "since 应为上次返回的 cursor。")
			return
		}
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT f.id, f.kind, f.batch_uid, f.version, f.message, f.rows, f.at
		FROM feedback f JOIN batches b ON b.batch_uid = f.batch_uid AND b.version = f.version
		WHERE f.id > ? AND b.org_unit = ? ORDER BY f.id LIMIT 500`, since, sess.orgUnit)
	if err != nil {
		failErr(w, err)
		return
	}
	defer rows.Close()
	page := wire.FeedbackPage{Items: []wire.FeedbackItem{}, Cursor: strconv.FormatInt(since, 10)}
	for rows.Next() {
		var id int64
		var it wire.FeedbackItem
		var rowsJSON, at string
		if err := rows.Scan(&id, &it.Kind, &it.BatchUID, &it.Version, &it.Message, &rowsJSON, &at); err != nil {
			failErr(w, err)
			return
		}
		it.ID = strconv.FormatInt(id, 10)
		_ = json.Unmarshal([]byte(rowsJSON), &it.Rows)
		it.At, _ = time.Parse(time.RFC3339Nano, at)
		page.Items = append(page.Items, it)
		page.Cursor = it.ID
	}
	if err := rows.Err(); err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// listBatches shows what the simulator holds (simulator only, for tests).
func (s *Server) listBatches(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), `SELECT batch_uid, version, content_sha256, size, status FROM batches ORDER BY batch_uid, version`)
	if err != nil {
		failErr(w, err)
		return
	}
	defer rows.Close()
	out := wire.SimBatches{Items: []wire.SimBatch{}}
	for rows.Next() {
		var b wire.SimBatch
		if err := rows.Scan(&b.BatchUID, &b.Version, &b.ContentSHA256, &b.Size, &b.Status); err != nil {
			failErr(w, err)
			return
		}
		out.Items = append(out.Items, b)
	}
	if err := rows.Err(); err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
