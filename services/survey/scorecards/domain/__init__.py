"""The 四好 scorecard rules as plain functions on exact fractions."""
