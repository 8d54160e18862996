package wire

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"caiji/backend/apperr"
)

// contract is the part of docs/platform-api.yaml this test checks.
type contract struct {
	OpenAPI    string                    `yaml:"openapi"`
	Paths      map[string]map[string]any `yaml:"paths"`
	Components struct {
		Schemas map[string]struct {
			Enum []string `yaml:"enum"`
		} `yaml:"schemas"`
	} `yaml:"components"`
}

func loadContract(t *testing.T) (contract, any) {
	t.Helper()
	raw, err := os.ReadFile("../../../docs/platform-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	return c, tree
}

func TestYAMLIsOpenAPI303(t *testing.T) {
	c, _ := loadContract(t)
	if c.OpenAPI != "3.0.3" {
		t.Fatalf("openapi = %q", c.OpenAPI)
	}
}

func TestYAMLPathsAreTheRoutes(t *testing.T) {
	c, _ := loadContract(t)
	want := map[Route]bool{}
	for _, r := range append(slices.Clone(Routes), SimRoutes...) {
		want[r] = true
	}
	got := map[Route]bool{}
	for path, ops := range c.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch":
				got[Route{strings.ToUpper(method), path}] = true
			}
		}
	}
	for r := range want {
		if !got[r] {
			t.Errorf("%s %s is in wire but not in the YAML", r.Method, r.Path)
		}
	}
	for r := range got {
		if !want[r] {
			t.Errorf("%s %s is in the YAML but not in wire", r.Method, r.Path)
		}
	}
}

func TestYAMLErrorCodesAreWires(t *testing.T) {
	c, _ := loadContract(t)
	enum := c.Components.Schemas["ErrorCode"].Enum
	for _, code := range Codes {
		if !slices.Contains(enum, string(code)) {
			t.Errorf("code %s is not in the YAML's ErrorCode enum", code)
		}
	}
	for _, e := range enum {
		if !slices.Contains(Codes, apperr.Code(e)) {
			t.Errorf("YAML code %s is not in wire.Codes", e)
		}
	}
}

// Every $ref points at something that exists: a typo would make the file
// invalid for integrators' code generators.
func TestYAMLRefsResolve(t *testing.T) {
	_, tree := loadContract(t)
	var walk func(n any)
	walk = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			for k, child := range v {
				if ref, ok := child.(string); ok && k == "$ref" {
					if lookup(tree, ref) == nil {
						t.Errorf("$ref %s does not resolve", ref)
					}
				}
				walk(child)
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(tree)
}

func lookup(tree any, ref string) any {
	n := tree
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := n.(map[string]any)
		if !ok {
			return nil
		}
		n = m[part]
	}
	return n
}
