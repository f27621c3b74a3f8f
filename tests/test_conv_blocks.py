import pytest

from arithgen.models.conv_blocks import build_conv_net, build_deconv_net, deconv_start_size


@pytest.mark.parametrize("side", [28, 32, 64])
@pytest.mark.parametrize("channels", [1, 3])
def test_conv_and_deconv_nets_build_the_right_shapes(side, channels):
    blocks = 3 if side == 64 else 2
    filters = (8, 16, 16)[:blocks]
    encoder = build_conv_net((side, side, channels), filters, output_dim=5)
    decoder = build_deconv_net(5, (side, side, channels), filters[::-1])
    assert encoder.output_shape == (None, 5)
    assert decoder.output_shape == (None, side, side, channels)
    flat = build_conv_net((side, side, channels), filters)
    assert flat.output_shape == (None, (side // 2**blocks) ** 2 * filters[-1])


def test_deconv_net_refuses_a_side_the_blocks_cannot_reach():
    with pytest.raises(ValueError, match="image side 30 is not a multiple of 2\\^2"):
        deconv_start_size(30, 2)
