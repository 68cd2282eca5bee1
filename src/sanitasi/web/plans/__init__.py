"""Plan data of a city: observations (baseline), target sets and points, the plan with its
parameter overrides, facilities; :mod:`.inputs` rebuilds the engine's PlanInputs from them."""
