"""Preferences (通知偏好): the categories a person muted, the channels they accept, and the categories
administrators made mandatory."""
