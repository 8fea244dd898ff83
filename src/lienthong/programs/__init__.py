"""Action plans: groups of tasks with owners, budgets, deadlines, progress and linked indicators."""
