"""The programme matrix (KKL): agencies, activities with planned output and cost per year,
lead and supporting agencies and their effect; :mod:`.inputs` rebuilds ProgrammeInputs."""
