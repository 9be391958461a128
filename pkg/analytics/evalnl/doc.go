// Package evalnl is the evaluation of `databridge query` (plain-English
// questions answered by the semantic layer's grammar) against a set of
// questions written before the parser was tuned: eval/nl/*.yaml, each
// question with its expected answer as hand-written SQL over a warehouse
// databridge builds from one of three example sources (finance_erp,
// retail, saas). The package holds only tests:
//
//   - TestEvalNLFiles checks the question files' shape (always on);
//   - TestEvalSQL builds the three warehouses and runs every expected SQL
//     (DATABRIDGE_EVAL_NL=1);
//   - TestEvalNL asks every question and scores the answers, writing
//     eval/nl/last-report.txt (DATABRIDGE_EVAL_NL=1, `make eval-nl`);
//   - TestEvalNLSample asks ten finance questions end to end (always on).
//
// See docs/query.md, section "Evaluation".
package evalnl
