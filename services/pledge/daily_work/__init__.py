"""Vanguard in daily work (在日常工作中): responsibility zones (党员责任区) with checks and incidents, posts and
badges (党员先锋岗, 挂牌上岗), volunteer service, 一助一 mentoring pairs."""
