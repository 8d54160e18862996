package app

import (
	"encoding/base64"
	"strconv"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/attachments"
	"caiji/backend/session"
)

// AttachmentService stores and shows voucher attachments (票据凭证). The
// rules (types by content, size, hashing, tamper check) are all in
// backend/attachments; a cell refers to attachments by AttachmentView.SHA256
// in the format of attachments.ParseRef.
type AttachmentService struct{ app *App }

// AttachmentView is what the UI shows of an attachment.
type AttachmentView struct {
	SHA256    string    `json:"sha256"` // the reference to put into the cell
	Size      int64     `json:"size"`   // bytes
	MIME      string    `json:"mime"`   // image/jpeg, image/png or application/pdf
	Name      string    `json:"name"`   // sanitised original file name
	CreatedBy int64     `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
}

// AttachmentPreview is an attachment with its content as a data: URL.
type AttachmentPreview struct {
	Attachment AttachmentView `json:"attachment"`
	DataURL    string         `json:"dataUrl"`
}

func viewOf(m attachments.Meta) AttachmentView {
	return AttachmentView{SHA256: m.SHA256, Size: m.Size, MIME: m.MIME, Name: m.OriginalName, CreatedBy: m.CreatedBy, CreatedAt: m.CreatedAt}
}

// Upload stores a file chosen by a clerk: name is the file's own name (for
// display only), base64Data its bytes in standard base64 without a data:
// prefix. Uploading the same file again returns the same attachment.
func (s *AttachmentService) Upload(name string, base64Data string) (AttachmentView, error) {
	const method = "Attachments.Upload"
	sess, err := s.app.guard(method, session.Clerk)
	if err != nil {
		return AttachmentView{}, err
	}
	uid, err := strconv.ParseInt(sess.User.ID, 10, 64)
	if err != nil {
		return AttachmentView{}, toJS(s.app.log, method, apperr.New(apperr.NotLoggedIn, "请重新登录。"))
	}
	// Refuse an oversized file before decoding it into memory.
	if len(base64Data) > base64.StdEncoding.EncodedLen(attachments.MaxSize) {
		return AttachmentView{}, toJS(s.app.log, method,
			attachments.TooLarge(name, int64(base64.StdEncoding.DecodedLen(len(base64Data)))))
	}
	data, err := base64.StdEncoding.DecodeString(base64Data)
	if err != nil {
		return AttachmentView{}, toJS(s.app.log, method,
			apperr.Wrap(apperr.BadInput, "收到的文件数据不完整，请重新选择文件上传。", err))
	}
	m, err := s.app.attachmentStore().Put(s.app.ctx, uid, name, data)
	if err != nil {
		return AttachmentView{}, toJS(s.app.log, method, err)
	}
	return viewOf(m), nil
}

// Preview returns an attachment with its content, checked against its hash,
// for clerks and reviewers (who judge the voucher). The auditor reads the
// audit trail, not vouchers (design brief §1).
func (s *AttachmentService) Preview(sha string) (AttachmentPreview, error) {
	const method = "Attachments.Preview"
	if _, err := s.app.guard(method, session.Clerk, session.Reviewer); err != nil {
		return AttachmentPreview{}, err
	}
	m, data, err := s.app.attachmentStore().Get(s.app.ctx, sha)
	if err != nil {
		return AttachmentPreview{}, toJS(s.app.log, method, err)
	}
	return AttachmentPreview{
		Attachment: viewOf(m),
		DataURL:    "data:" + m.MIME + ";base64," + base64.StdEncoding.EncodeToString(data),
	}, nil
}
