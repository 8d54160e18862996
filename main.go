// Caiji: the data-collection client of the provincial 互联网+监督 platform.
// With arguments it runs a CLI command; without, it opens the window. This
// is the only file that starts Wails.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"caiji/app"
	"caiji/app/cli"
	"caiji/backend/config"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	args := os.Args[1:]
	if cli.IsCommand(args) {
		os.Exit(cli.Run(args, os.Stdout, os.Stderr))
	}
	os.Exit(runGUI(args))
}

func runGUI(args []string) int {
	fs := flag.NewFlagSet("caiji", flag.ContinueOnError)
	dataDirFlag := fs.String("data-dir", "", "数据目录")
	registerDevFlags(fs) // Wails' own flags in dev builds; none in production
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	dataDir, err := config.ResolveDataDir(*dataDirFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return cli.ExitRefused
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a := app.New(context.Background(), app.Options{DataDir: dataDir, Logger: log})

	err = wails.Run(&options.App{
		Title:     "采集 · 互联网+监督数据采集客户端",
		Width:     1280,
		Height:    800,
		MinWidth:  1024,
		MinHeight: 680,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour: &options.RGBA{R: 245, G: 247, B: 250, A: 255},
		OnStartup: func(ctx context.Context) {
			a.SetDesktop(app.Desktop{
				SaveFileDialog: func(name string) (string, error) {
					return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{DefaultFilename: name, Title: "另存为",
						Filters: []runtime.FileFilter{{DisplayName: "Excel 工作簿 (*.xlsx)", Pattern: "*.xlsx"}}})
				},
				OpenPath: func(url string) { runtime.BrowserOpenURL(ctx, url) },
			})
			a.Startup(ctx, func(name string, data ...any) { runtime.EventsEmit(ctx, name, data...) })
		},
		OnBeforeClose: func(ctx context.Context) bool {
			return a.BeforeClose(func() { runtime.Quit(ctx) })
		},
		OnShutdown: a.Shutdown,
		Bind:       a.Bindings(),
		// Two windows on one database would confuse a clerk about which
		// one holds the draft; the second start focuses the first.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: "cn.gov.caiji.client." + singleInstanceKey(dataDir),
		},
		Windows: &windows.Options{WebviewUserDataPath: dataDir + string(os.PathSeparator) + "webview"},
		Linux:   &linux.Options{Icon: icon, ProgramName: "caiji"},
	})
	if err != nil {
		log.Error("window failed", "err", err)
		return cli.ExitRefused
	}
	return cli.ExitOK
}
