"""Political birthdays (政治生日): greetings on the anniversary of joining the party (29 February → 28
February in common years) and the day's list for each branch secretary."""
