"""The Pokja's daily work: "Tugas saya" (an agency's year), the kecamatan dashboard and the
reporting-completeness grid (issue 11 items 1, 3, 4)."""
