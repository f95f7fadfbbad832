module runscript.bench/execcost

go 1.19
