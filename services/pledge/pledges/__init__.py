"""Pledges (承诺) and carriers (活动载体): drafting, review, publication, progress, look-back, close; who may do
what and the lifecycle table in ``domain/``; history, events for survey and notify, 评诺 scores, nightly reminders."""
