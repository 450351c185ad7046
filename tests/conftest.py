"""Shared fixtures."""
import pytest


@pytest.fixture
def one_torch_thread():
    """One intra-op thread for tiny models: on a busy CPU more threads only contend."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
