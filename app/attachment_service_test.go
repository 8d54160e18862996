package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/attachments"
	"caiji/backend/session"
)

func voucherPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for x := range 24 {
		img.Set(x, x%16, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachmentUploadAndPreview(t *testing.T) {
	a := demoApp(t)
	svc := &AttachmentService{app: a}
	data := voucherPNG(t)
	b64 := base64.StdEncoding.EncodeToString(data)
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])

	// Nobody logged in: refused before anything is stored.
	if _, err := svc.Upload("收据.png", b64); jsCode(t, err).Code != apperr.NotLoggedIn {
		t.Errorf("anonymous Upload: %v", err)
	}

	clerk := loginAs(t, a, session.Clerk)
	v, err := svc.Upload(`C:\Users\张敏\Desktop\收据.png`, b64)
	if err != nil {
		t.Fatal(err)
	}
	if v.SHA256 != sha || v.Size != int64(len(data)) || v.MIME != "image/png" || v.Name != "收据.png" || v.CreatedAt.IsZero() {
		t.Errorf("Upload = %+v", v)
	}
	if strconv.FormatInt(v.CreatedBy, 10) != clerk.User.ID {
		t.Errorf("CreatedBy = %d, want the clerk %s", v.CreatedBy, clerk.User.ID)
	}
	// Same file again, other name: the same attachment.
	if again, err := svc.Upload("again.png", b64); err != nil || again != v {
		t.Errorf("second Upload = %+v, %v; want %+v", again, err, v)
	}
	if _, err := os.Stat(filepath.Join(a.dataDir, attachments.DirName, sha[:2], sha)); err != nil {
		t.Errorf("file not in the data dir: %v", err)
	}

	p, err := svc.Preview(sha)
	if err != nil {
		t.Fatal(err)
	}
	if p.Attachment != v || p.DataURL != "data:image/png;base64,"+b64 {
		t.Errorf("Preview = %+v / %.40s…", p.Attachment, p.DataURL)
	}

	// The refusals reach the UI as code + Chinese message.
	exe := append([]byte("MZ\x90\x00"), make([]byte, 200)...)
	e := jsCode(t, func() error { _, err := svc.Upload("发票.jpg", base64.StdEncoding.EncodeToString(exe)); return err }())
	if e.Code != apperr.AttachmentType || !hasHan(e.Message) || !strings.Contains(e.Message, "PDF") {
		t.Errorf("renamed exe: %+v", e)
	}
	big := base64.StdEncoding.EncodeToString(make([]byte, attachments.MaxSize+3))
	if e := jsCode(t, func() error { _, err := svc.Upload("大.jpg", big); return err }()); e.Code != apperr.AttachmentTooLarge {
		t.Errorf("oversize: %+v", e)
	}
	if e := jsCode(t, func() error { _, err := svc.Upload("a.png", "not base64!"); return err }()); e.Code != apperr.BadInput {
		t.Errorf("bad base64: %+v", e)
	}
	if e := jsCode(t, func() error { _, err := svc.Preview("../../caiji.db"); return err }()); e.Code != apperr.BadInput {
		t.Errorf("Preview of a path: %+v", e)
	}
	if e := jsCode(t, func() error { _, err := svc.Preview(strings.Repeat("0", 64)); return err }()); e.Code != apperr.NotFound {
		t.Errorf("Preview of an unknown hash: %+v", e)
	}

	// A reviewer may look; the file is checked on the way.
	for _, r := range []session.Role{session.Reviewer} {
		a.Session.Logout()
		loginAs(t, a, r)
		if p, err := svc.Preview(sha); err != nil || p.Attachment.SHA256 != sha {
			t.Errorf("%s Preview: %+v, %v", r, p.Attachment, err)
		}
	}

	// A file changed on disk is refused, not shown.
	if err := os.WriteFile(filepath.Join(a.dataDir, attachments.DirName, sha[:2], sha), voucherPNG(t)[:40], 0o600); err != nil {
		t.Fatal(err)
	}
	if e := jsCode(t, func() error { _, err := svc.Preview(sha); return err }()); e.Code != apperr.AttachmentCorrupt || !strings.Contains(e.Message, "收据.png") {
		t.Errorf("tampered Preview: %+v", e)
	}
}

// Only clerks upload; the three admin roles and the auditor see no vouchers.
func TestAttachmentRolesRefusedInBackend(t *testing.T) {
	a := demoApp(t)
	svc := &AttachmentService{app: a}
	b64 := base64.StdEncoding.EncodeToString(voucherPNG(t))
	sha := strings.Repeat("ab", 32)
	for _, r := range session.AllRoles {
		loginAs(t, a, r)
		_, err := svc.Upload("收据.png", b64)
		if refused := err != nil && jsCode(t, err).Code == apperr.Forbidden; refused != (r != session.Clerk) {
			t.Errorf("%s Upload: err %v", r, err)
		}
		_, err = svc.Preview(sha) // unknown hash: allowed roles get not_found
		canSee := r == session.Clerk || r == session.Reviewer
		if code := jsCode(t, err).Code; (code == apperr.Forbidden) == canSee {
			t.Errorf("%s Preview: code %s", r, code)
		}
		a.Session.Logout()
	}

	// The reviewer's refused upload is on the auditor's record.
	loginAs(t, a, session.Auditor)
	rs, err := a.Admin.Refusals(100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rs {
		if r.Method == "Attachments.Upload" && r.UserName == demoIdentity(t, session.Reviewer).Name && r.Code == apperr.Forbidden {
			found = true
		}
	}
	if !found {
		t.Errorf("reviewer's refused upload not recorded: %+v", rs)
	}
}
