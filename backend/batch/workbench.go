package batch

import (
	"context"
	"time"

	"caiji/backend/catalog"
	"caiji/backend/period"
)

// WorkItem is one line of the clerk's to-do list: a dataset and period
// that is due, overdue or returned.
type WorkItem struct {
	Dataset      string         `json:"dataset"`
	DatasetName  string         `json:"datasetName"`
	Domain       catalog.Domain `json:"domain"`
	DomainLabel  string         `json:"domainLabel"`
	Period       string         `json:"period"`
	PeriodLabel  string         `json:"periodLabel"`
	PeriodStatus period.Status  `json:"periodStatus"`
	Deadline     string         `json:"deadline"`
	DaysLeft     int            `json:"daysLeft"`
	BatchID      int64          `json:"batchId"` // 0: nothing entered yet
	Status       Status         `json:"status"`  // "" when there is no batch
	Rows         int            `json:"rows"`
	// State is why the item is listed: "due", "overdue" or "returned".
	State string `json:"state"`
}

// MonthProgress is one bar of the monthly chart: of the monthly datasets,
// how many are submitted (or later), in draft, or overdue with nothing
// submitted.
type MonthProgress struct {
	Month     string `json:"month"` // 2026-10
	Submitted int    `json:"submitted"`
	Draft     int    `json:"draft"`
	Overdue   int    `json:"overdue"`
	Total     int    `json:"total"`
}

// Workbench is the 工作台 of one org unit.
type Workbench struct {
	Due      int             `json:"due"`
	Overdue  int             `json:"overdue"`
	Returned int             `json:"returned"`
	Items    []WorkItem      `json:"items"`
	Months   []MonthProgress `json:"months"`
	Year     int             `json:"year"`
}

type dp struct{ dataset, period string }

// Workbench lists what the actor's org unit has to do now.
func (s *Service) Workbench(ctx context.Context, a Actor) (Workbench, error) {
	all, err := s.List(ctx, a, "")
	if err != nil {
		return Workbench{}, err
	}
	latest := map[dp]Batch{}
	for _, b := range all { // List returns the highest version first
		if _, seen := latest[dp{b.Dataset, b.Period}]; !seen {
			latest[dp{b.Dataset, b.Period}] = b
		}
	}
	now := s.now()
	w := Workbench{Year: period.Current(period.Monthly, now).Year, Items: []WorkItem{}}
	listed := map[dp]bool{}
	for _, d := range s.cat.Datasets() {
		if d.Comparison {
			continue
		}
		periods := append(period.Overdue(d.Period, now), period.Due(d.Period, now)...)
		for _, p := range periods {
			b, has := latest[dp{d.Code, p.String()}]
			if has && !b.Status.Editable() {
				continue // submitted: nothing left to do here
			}
			it := item(d, p, now, b, has)
			it.State = string(p.Status(now))
			if has && b.Status == Returned {
				it.State = "returned"
			}
			w.Items = append(w.Items, it)
			listed[dp{d.Code, p.String()}] = true
		}
	}
	// Returned batches of any open period are listed too.
	for _, b := range all {
		key := dp{b.Dataset, b.Period}
		if b.Status != Returned || listed[key] || latest[key].ID != b.ID {
			continue
		}
		d, ok := s.cat.Get(b.Dataset)
		p, err := period.Parse(b.Period)
		if !ok || err != nil {
			continue
		}
		it := item(d, p, now, b, true)
		it.State = "returned"
		w.Items = append(w.Items, it)
	}
	for _, it := range w.Items {
		switch it.State {
		case "due":
			w.Due++
		case "overdue":
			w.Overdue++
		case "returned":
			w.Returned++
		}
	}
	w.Months = s.months(now, latest)
	return w, nil
}

func item(d catalog.Dataset, p period.Period, now time.Time, b Batch, has bool) WorkItem {
	it := WorkItem{
		Dataset: d.Code, DatasetName: d.Name, Domain: d.Domain, DomainLabel: d.Domain.Label(),
		Period: p.String(), PeriodLabel: p.Label(), PeriodStatus: p.Status(now),
		Deadline: p.LastDay().Format("2006-01-02"), DaysLeft: p.DaysLeft(now),
	}
	if has {
		it.BatchID, it.Status, it.Rows = b.ID, b.Status, b.Rows
	}
	return it
}

// months is the chart: every month of the current year so far.
func (s *Service) months(now time.Time, latest map[dp]Batch) []MonthProgress {
	var monthly []catalog.Dataset
	for _, d := range s.cat.Datasets() {
		if !d.Comparison && d.Period == period.Monthly {
			monthly = append(monthly, d)
		}
	}
	cur := period.Current(period.Monthly, now)
	out := []MonthProgress{}
	for p, _ := period.New(period.Monthly, cur.Year, 1); p.N <= cur.N && p.Year == cur.Year; p = p.Next() {
		m := MonthProgress{Month: p.String(), Total: len(monthly)}
		st := p.Status(now)
		for _, d := range monthly {
			b, has := latest[dp{d.Code, p.String()}]
			switch {
			case has && !b.Status.Editable():
				m.Submitted++
			case st == period.StatusOverdue || st == period.StatusClosed:
				m.Overdue++
			case has:
				m.Draft++
			}
		}
		out = append(out, m)
		if p.N == 12 {
			break
		}
	}
	return out
}
