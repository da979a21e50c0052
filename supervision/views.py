"""Supervision pages: the lights (红黄绿灯) of every task and member."""
