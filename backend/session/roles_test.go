package session

import (
	"slices"
	"testing"
)

func TestPagesForEachRole(t *testing.T) {
	tests := []struct {
		role Role
		want []Page
	}{
		{Clerk, []Page{PageWorkbench, PageEntry, PageSync}},
		{Reviewer, []Page{PageWorkbench, PageReview, PageSync}},
		{SysAdmin, []Page{PageWorkbench, PageAdmin}},
		{SecAdmin, []Page{PageWorkbench, PageAdmin}},
		{Auditor, []Page{PageWorkbench, PageAudit}},
	}
	if len(tests) != len(AllRoles) {
		t.Fatalf("table covers %d roles, AllRoles has %d", len(tests), len(AllRoles))
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			if got := PagesFor([]Role{tt.role}); !slices.Equal(got, tt.want) {
				t.Errorf("PagesFor(%s) = %v, want %v", tt.role, got, tt.want)
			}
		})
	}
}

func TestAdminRolesNeverEnterOrReview(t *testing.T) {
	admins := []Role{SysAdmin, SecAdmin, Auditor}
	for _, r := range admins {
		pages := PagesFor([]Role{r})
		for _, forbidden := range []Page{PageEntry, PageReview} {
			if slices.Contains(pages, forbidden) {
				t.Errorf("PagesFor(%s) contains %s (三员分立)", r, forbidden)
			}
			if slices.Contains(RolesFor(forbidden), r) {
				t.Errorf("RolesFor(%s) contains %s", forbidden, r)
			}
		}
	}
	// Even all three together do not add up to entry or review.
	pages := PagesFor(admins)
	if slices.Contains(pages, PageEntry) || slices.Contains(pages, PageReview) {
		t.Errorf("PagesFor(all admins) = %v, must not contain entry or review", pages)
	}
}

func TestPagesForEdgeCases(t *testing.T) {
	if got := PagesFor(nil); len(got) != 0 {
		t.Errorf("PagesFor(nil) = %v, want none", got)
	}
	if got := PagesFor([]Role{"nobody"}); len(got) != 0 {
		t.Errorf("PagesFor(unknown role) = %v, want none", got)
	}
	// Several roles: union, in menu order, without duplicates.
	got := PagesFor([]Role{Auditor, Clerk, Reviewer})
	want := []Page{PageWorkbench, PageEntry, PageReview, PageSync, PageAudit}
	if !slices.Equal(got, want) {
		t.Errorf("PagesFor(auditor, clerk, reviewer) = %v, want %v", got, want)
	}
}

func TestEveryPageHasPolicy(t *testing.T) {
	if len(pageOrder) != len(pageRoles) {
		t.Errorf("pageOrder has %d pages, pageRoles %d", len(pageOrder), len(pageRoles))
	}
	for _, p := range pageOrder {
		if len(RolesFor(p)) == 0 {
			t.Errorf("page %s has no roles", p)
		}
	}
	if got := RolesFor(PageWorkbench); !slices.Equal(got, AllRoles) {
		t.Errorf("RolesFor(workbench) = %v, want all roles", got)
	}
}
