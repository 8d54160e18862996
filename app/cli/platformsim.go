package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"caiji/backend/apperr"
	"caiji/backend/config"
	"caiji/backend/pki"
	"caiji/backend/platform/sim"
	"caiji/backend/platform/wire"
)

// platformSimContext ends when the simulator should stop; tests replace it.
var platformSimContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

type platformSimStarted struct {
	URL     string `json:"url"`
	DataDir string `json:"dataDir"`
	Trust   string `json:"trust"`
}

// runPlatformSim serves the provincial platform simulator until Ctrl+C.
func runPlatformSim(e *env, args []string) int {
	fs := e.flags("platform-sim")
	addr := fs.String("addr", "127.0.0.1:8471", "监听地址（主机:端口；端口 0 表示任选空闲端口）")
	data := fs.String("data", "", "模拟平台自己的数据目录（必填，与客户端数据目录分开）")
	trust := fs.String("trust", "", "信任的 CA 证书包 PEM（默认：客户端数据目录下的 trust/roots.pem，演示模式会生成它）")
	tlsCert := fs.String("tls-cert", "", "HTTPS 服务器证书 PEM（与 --tls-key 同时给出；不给则用 HTTP）")
	tlsKey := fs.String("tls-key", "", "HTTPS 服务器私钥 PEM")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if *data == "" {
		fmt.Fprintln(e.stderr, "缺少 --data：请指定模拟平台的数据目录，例如 caiji platform-sim --data ./platform-sim")
		return ExitUsage
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(e.stderr, "--tls-cert 和 --tls-key 要同时给出。")
		return ExitUsage
	}
	if *trust == "" {
		dir, err := config.ResolveDataDir(e.dataDir)
		if err != nil {
			return e.fail(err)
		}
		*trust = filepath.Join(dir, "trust", "roots.pem")
	}
	ts, err := pki.LoadTrustBundle(*trust)
	if err != nil {
		return e.fail(err)
	}
	ctx, stop := platformSimContext()
	defer stop()
	s, err := sim.Open(ctx, *data, ts)
	if err != nil {
		return e.fail(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return e.fail(apperr.Wrap(apperr.BadInput, "无法监听 "+*addr+"：端口可能已被占用，请换一个 --addr。", err))
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	started := platformSimStarted{URL: scheme + "://" + ln.Addr().String() + wire.BasePath, DataDir: *data, Trust: *trust}
	e.emit(started, func(w io.Writer) {
		fmt.Fprintf(w, "模拟平台已启动：%s\n数据目录：%s\n信任证书：%s\n按 Ctrl+C 停止。\n", started.URL, started.DataDir, started.Trust)
	})
	if err := s.Serve(ctx, ln, *tlsCert, *tlsKey); err != nil {
		return e.fail(apperr.Wrap(apperr.Internal, "模拟平台异常停止："+err.Error(), err))
	}
	return ExitOK
}
