package approval

import (
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/pki/devca"
	"caiji/backend/token/softhsm"
)

// TestMain gives the package's SoftHSM tests one token directory (the
// driver reads SOFTHSM2_CONF once per process).
func TestMain(m *testing.M) { os.Exit(softhsm.Run("caiji-approval-softhsm-", m.Run)) }

// exampleDataset is the dataset of docs/signed-approval.md's worked example:
// one field of every type, made here rather than taken from the catalog so
// that a catalog change cannot move the golden bytes.
func exampleDataset() catalog.Dataset {
	return catalog.Dataset{Code: "example_roster", Name: "示例花名册", Version: 2, Fields: []catalog.Field{
		{Code: "name", Label: "姓名", Type: catalog.Text, Required: true, MaxLength: 20},
		{Code: "id_number", Label: "身份证号", Type: catalog.IDCard, Required: true},
		{Code: "account", Label: "银行账号", Type: catalog.Account, Required: true},
		{Code: "amount", Label: "发放金额", Type: catalog.Money, Required: true},
		{Code: "pay_date", Label: "发放日期", Type: catalog.Date, Required: true},
		{Code: "category", Label: "救助类别", Type: catalog.Enum, Required: true,
			Values: []catalog.EnumValue{{Code: "dibao", Label: "低保"}, {Code: "tekun", Label: "特困"}}},
		{Code: "persons", Label: "保障人数", Type: catalog.Integer},
		{Code: "village_code", Label: "村（社区）代码", Type: catalog.Region12},
		{Code: "phone", Label: "联系电话", Type: catalog.Phone},
		{Code: "voucher", Label: "凭证", Type: catalog.Attachment},
		{Code: "remark", Label: "备注", Type: catalog.Text, MaxLength: 200},
	}}
}

func exampleHeader() Header {
	return Header{Dataset: "example_roster", DatasetVersion: 2, OrgUnit: "mzj-410102", Period: "2026-03",
		Version: 2, Replaces: 1, Rectification: "郑纪整改〔2026〕3号",
		Changes: []Change{{Row: -1, Base: 2, Reason: "重复发放"}, {Row: 1, Base: -1, Reason: "漏报，补录"}, {Row: 0, Base: 0, Reason: " 金额按银行回单更正 "}}}
}

const exampleVoucher = "c7b91751e5144f29c1393917a75e2fb98f8d2af19b7a6a69fc51dea71bf335aa"

// exampleRows are typed the way clerks type: spaces, ¥ and thousands
// separators, a Chinese date, an enum label, a lower-case x, +86.
func exampleRows() []map[string]string {
	return []map[string]string{
		{"name": " 张三 ", "id_number": "410102 19800101 123x", "account": "6217 0024 3001 2345 675",
			"amount": "¥1,234.5", "pay_date": "2026年3月5日", "category": "低保", "persons": "3",
			"village_code": "410102001002", "phone": "+86 138-0371-2345",
			"voucher": "C7B91751E5144F29C1393917A75E2FB98F8D2AF19B7A6A69FC51DEA71BF335AA", "remark": ""},
		{"name": `李四"小李"`, "id_number": "11010519491231002X", "account": "621700243001",
			"amount": "800", "pay_date": "2026/3/5", "category": "tekun", "persons": "1",
			"village_code": "410102001003", "remark": "代领：\n王五"},
	}
}

// exampleCanonical is what Canonical makes of the example; the document
// shows the same bytes.
const exampleCanonical = `{"fields":["name","id_number","account","amount","pay_date","category","persons","village_code","phone","voucher","remark"],` +
	`"format":"caiji-batch-v1",` +
	`"header":{"changes":[{"base":0,"reason":"金额按银行回单更正","row":0},{"base":null,"reason":"漏报，补录","row":1},{"base":2,"reason":"重复发放","row":null}],` +
	`"dataset":"example_roster","datasetVersion":2,"orgUnit":"mzj-410102","period":"2026-03","rectification":"郑纪整改〔2026〕3号","replaces":1,"version":2},` +
	`"rows":[["张三","41010219800101123X","6217002430012345675",123450,"2026-03-05","dibao",3,"410102001002","13803712345",["` + exampleVoucher + `"],null],` +
	`["李四\"小李\"","11010519491231002X","621700243001",80000,"2026-03-05","tekun",1,"410102001003",null,null,"代领：\n王五"]]}`

// testPKI is a provincial-style hierarchy: root → issuing CA → reviewers.
type testPKI struct {
	root, inter *devca.CA
	roots       *x509.CertPool
}

var pkiOnce = sync.OnceValues(func() (*testPKI, error) {
	now := time.Now()
	root, err := devca.NewRoot("测试省级根 CA", now.Add(-48*time.Hour), now.AddDate(10, 0, 0))
	if err != nil {
		return nil, err
	}
	inter, err := root.NewIntermediate("测试省级签发 CA", now.Add(-48*time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(root.Cert)
	return &testPKI{root: root, inter: inter, roots: roots}, nil
})

func thePKI(t testing.TB) *testPKI {
	t.Helper()
	p, err := pkiOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reviewer is a software key certified by the issuing CA.
type reviewer struct {
	key  crypto.Signer
	cert *x509.Certificate
}

var reviewers sync.Map // kind → reviewer; RSA keys are slow to make

func theReviewer(t testing.TB, kind string) reviewer {
	t.Helper()
	if r, ok := reviewers.Load(kind); ok {
		return r.(reviewer)
	}
	p := thePKI(t)
	cert, key, err := p.inter.IssueWithKey(kind, devca.LeafOptions{CommonName: "王审（" + kind + "）", Organization: "某县民政局"})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := reviewers.LoadOrStore(kind, reviewer{key: key, cert: cert})
	return r.(reviewer)
}

// chain is what a reviewer's token holds above the leaf.
func (p *testPKI) chain() []*x509.Certificate { return []*x509.Certificate{p.inter.Cert} }

// need stops a test whose external part is missing: it fails under CI
// (CI set) and skips on a developer's PC, saying what to install.
func need(t testing.TB, found bool, what, pkg string) {
	t.Helper()
	if found {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing (Debian package %s; scripts/deps.sh test installs it)", what, pkg)
	}
	t.Skipf("%s is missing (Debian package %s; scripts/deps.sh test installs it); under CI this fails", what, pkg)
}

func needOpenSSL(t testing.TB) {
	t.Helper()
	_, err := exec.LookPath("openssl")
	need(t, err == nil, "openssl", "openssl")
}

// wantCode fails unless err is an apperr error with code.
func wantCode(t testing.TB, err error, code apperr.Code) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want apperr code %s", err, code)
	}
	if ae.Code != code {
		t.Fatalf("code = %s (%s), want %s", ae.Code, ae.Message, code)
	}
}

func codeOf(err error) apperr.Code {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	return "untyped"
}
