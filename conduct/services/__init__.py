"""The code of conduct's services: complaints (report, audit, retention) and removals."""
