connections --history --bucket=7s FX/rotation
