package app

import (
	"sync"

	"caiji/backend/attachments"
)

// attachmentStores holds each App's attachment store, built on first use.
// It lives here rather than in an App field so this file is the whole of
// the wiring; the entry is as small as the App (a pointer and a path).
var attachmentStores sync.Map // *App → *attachments.Store

// attachmentStore is the voucher attachment store over the App's database
// and <dataDir>/attachments. Call it only after guard (or ready) succeeded:
// before that there may be no database.
func (a *App) attachmentStore() *attachments.Store {
	if st, ok := attachmentStores.Load(a); ok {
		return st.(*attachments.Store)
	}
	st, _ := attachmentStores.LoadOrStore(a, attachments.New(a.store.DB(), a.dataDir, nil))
	return st.(*attachments.Store)
}
