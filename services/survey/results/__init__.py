"""Results (测评结果): JSON, spreadsheet and the results page; published back to pledge and notify."""
