package client

import (
	"context"
	"encoding/json"
	"net/url"

	"caiji/backend/platform/wire"
)

// Feedback fetches rejections and rectification requests newer than
// since (the previous page's Cursor; "" for all).
func (c *Client) Feedback(ctx context.Context, since string) (*wire.FeedbackPage, error) {
	path := "/feedback"
	if since != "" {
		path += "?since=" + url.QueryEscape(since)
	}
	_, raw, err := c.do(ctx, call{method: "GET", path: path, auth: true})
	if err != nil {
		return nil, err
	}
	var p wire.FeedbackPage
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, garbled(err)
	}
	return &p, nil
}
