"""Regions of a city: the city itself, its kecamatan and kelurahan/desa, and their ancestors."""
