#include <stdio.h>
#include <jpeglib.h>
/* 16x8 CMYK JPEG as Adobe (Photoshop) writes it: inverted ink values, Adobe APP14 marker.
   Left half red (no cyan, full magenta and yellow), right half blue (full cyan and magenta). */
int main(int argc, char **argv) {
    struct jpeg_compress_struct c; struct jpeg_error_mgr e;
    FILE *f = fopen(argv[1], "wb");
    c.err = jpeg_std_error(&e); jpeg_create_compress(&c); jpeg_stdio_dest(&c, f);
    c.image_width = 16; c.image_height = 8; c.input_components = 4; c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c); jpeg_set_quality(&c, 95, TRUE); c.write_Adobe_marker = TRUE;
    jpeg_start_compress(&c, TRUE);
    unsigned char row[16 * 4];
    for (int x = 0; x < 16; ++x) {
        int C = x < 8 ? 0 : 255, M = 255, Y = x < 8 ? 255 : 0, K = 0;
        row[4*x] = 255 - C; row[4*x+1] = 255 - M; row[4*x+2] = 255 - Y; row[4*x+3] = 255 - K;
    }
    while (c.next_scanline < c.image_height) { JSAMPROW r = row; jpeg_write_scanlines(&c, &r, 1); }
    jpeg_finish_compress(&c); fclose(f); jpeg_destroy_compress(&c); return 0;
}
