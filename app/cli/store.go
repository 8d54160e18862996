package cli

import (
	"context"
	"path/filepath"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/config"
	"caiji/backend/store"
)

// local is the database and catalog of the data directory a command
// works on. The command line runs with the OS user's access to that
// directory, as the window does; it has no login of its own.
type local struct {
	st      *store.Store
	cat     *catalog.Catalog
	batches *batch.Service
}

func (e *env) openLocal(ctx context.Context) (*local, error) {
	dir, err := config.ResolveDataDir(e.dataDir)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Load()
	if err != nil {
		st.Close()
		return nil, err
	}
	return &local{st: st, cat: cat, batches: batch.New(st.DB(), cat, nil)}, nil
}

func (l *local) Close() { l.st.Close() }

func (l *local) dataset(code string) (catalog.Dataset, error) {
	d, ok := l.cat.Get(code)
	if !ok {
		return d, apperr.New(apperr.BadInput, "没有名为「"+code+"」的数据集，请用 caiji datasets 查看可用的数据集。")
	}
	return d, nil
}

// actor finds the account a command acts as: --user is an account id or
// a name, within the org unit whose code is org. Batches record who
// changed them, so a command that writes must say who runs it.
func (l *local) actor(ctx context.Context, org, user string) (batch.Actor, error) {
	var a batch.Actor
	if err := l.st.DB().QueryRowContext(ctx, "SELECT id FROM org_units WHERE code = ?", org).Scan(&a.OrgUnitID); err != nil {
		return a, apperr.New(apperr.NotFound, "没有代码为「"+org+"」的单位，请核对 --org。")
	}
	rows, err := l.st.DB().QueryContext(ctx, "SELECT id FROM users WHERE org_unit_id = ? AND (CAST(id AS TEXT) = ? OR name = ?)", a.OrgUnitID, user, user)
	if err != nil {
		return a, apperr.Wrap(apperr.Internal, "无法读取账号。", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err == nil {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 0:
		return a, apperr.New(apperr.NotFound, "单位「"+org+"」中没有账号「"+user+"」，请用 --user 写账号编号或姓名。")
	case 1:
		a.UserID = ids[0]
		return a, nil
	}
	return a, apperr.New(apperr.BadInput, "单位「"+org+"」中有多个名为「"+user+"」的账号，请用 --user 写账号编号。")
}
