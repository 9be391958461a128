package reconcile

import (
	"context"
	"fmt"
)

func segmentRows(ctx context.Context, l, r *side, p *plan, res *RowsResult) (RowDetails, error) {
	return RowDetails{}, fmt.Errorf("not yet")
}
