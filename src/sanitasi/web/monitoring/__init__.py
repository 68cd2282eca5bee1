"""Quarterly realisation (draft -> submitted -> verified, return with comment), meetings
(Coaching Clinics, Pokja meetings, milestone reviews) and their action items."""
